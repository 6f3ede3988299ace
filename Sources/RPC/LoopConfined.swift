import NIOCore

/// A handler reference for closures that only ever touch it on its event loop, which the code
/// around them guarantees (an `inEventLoop` test, or `execute`).
///
/// `NIOLoopBound` checks the same on every construction and access, through a thread-local read;
/// on the request path that was several reads per call for nothing.
struct LoopConfined<Value: AnyObject>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
