import Hummingbird

/// The numeric `{id}` segments of the room, bot and match routes.
enum PathID {
    /// A positive integer, or a 400 problem: `/api/v1/matches/abc` is a malformed request, not a
    /// missing match, and it never reaches a service.
    static func parse(_ context: EdgeRequestContext, _ name: String = "id", of resource: String) throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw Problem(.badRequest, "A \(resource) id is a positive integer.")
        }
        return id
    }
}
