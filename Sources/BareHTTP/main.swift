import Hummingbird

// The baseline of `make bench-edge`: one JSON route on a bare Hummingbird app, nothing else.
// Port from the first argument, else BARE_HTTP_PORT, else 8090.

struct Hello: ResponseEncodable {
    var hello = "world"
}

let arguments = CommandLine.arguments.dropFirst()
let port = arguments.first.flatMap(Int.init) ?? Environment().get("BARE_HTTP_PORT").flatMap(Int.init) ?? 8090

let router = Router()
router.get("/hello") { _, _ in Hello() }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil))
try await app.runService()
