/// What travels beside a request: ids for logs and traces, and the end user Edge authenticated.
///
/// Servers trust `userID` and `userRole` because only authenticated peers can send requests at all.
///
/// The fields live in one copy-on-write box: a request's metadata is handed from the frame to the
/// head, the context and the handler, and each hand-over is then one reference count instead of one
/// per string.
public struct RPCMetadata: Sendable, Hashable {
    private final class Storage: @unchecked Sendable {
        // Mutated only through a uniquely referenced box (see `mutate`).
        var requestID: String?
        var traceparent: String?
        var tracestate: String?
        var userID: String?
        var userRole: String?

        init(requestID: String?, traceparent: String?, tracestate: String?, userID: String?, userRole: String?) {
            self.requestID = requestID
            self.traceparent = traceparent
            self.tracestate = tracestate
            self.userID = userID
            self.userRole = userRole
        }

        func copy() -> Storage {
            Storage(requestID: self.requestID, traceparent: self.traceparent, tracestate: self.tracestate, userID: self.userID, userRole: self.userRole)
        }
    }

    /// nil when empty, as most internal calls are: no box, and copies touch no reference count.
    private var storage: Storage?

    public var requestID: String? {
        get { self.storage?.requestID }
        set { self.mutate { $0.requestID = newValue } }
    }
    /// W3C trace context `traceparent`.
    public var traceparent: String? {
        get { self.storage?.traceparent }
        set { self.mutate { $0.traceparent = newValue } }
    }
    /// W3C trace context `tracestate`.
    public var tracestate: String? {
        get { self.storage?.tracestate }
        set { self.mutate { $0.tracestate = newValue } }
    }
    /// The authenticated end user on whose behalf the call is made.
    public var userID: String? {
        get { self.storage?.userID }
        set { self.mutate { $0.userID = newValue } }
    }
    /// That user's role (`user`, `staff`, `admin`).
    public var userRole: String? {
        get { self.storage?.userRole }
        set { self.mutate { $0.userRole = newValue } }
    }

    public init(
        requestID: String? = nil,
        traceparent: String? = nil,
        tracestate: String? = nil,
        userID: String? = nil,
        userRole: String? = nil
    ) {
        if requestID != nil || traceparent != nil || tracestate != nil || userID != nil || userRole != nil {
            self.storage = Storage(requestID: requestID, traceparent: traceparent, tracestate: tracestate, userID: userID, userRole: userRole)
        }
    }

    private mutating func mutate(_ body: (Storage) -> Void) {
        if self.storage == nil {
            self.storage = Storage(requestID: nil, traceparent: nil, tracestate: nil, userID: nil, userRole: nil)
        } else if !isKnownUniquelyReferenced(&self.storage) {
            self.storage = self.storage!.copy()
        }
        body(self.storage!)
    }

    public static func == (lhs: RPCMetadata, rhs: RPCMetadata) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.requestID == rhs.requestID && lhs.traceparent == rhs.traceparent && lhs.tracestate == rhs.tracestate
                && lhs.userID == rhs.userID && lhs.userRole == rhs.userRole)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.requestID)
        hasher.combine(self.traceparent)
        hasher.combine(self.tracestate)
        hasher.combine(self.userID)
        hasher.combine(self.userRole)
    }
}
