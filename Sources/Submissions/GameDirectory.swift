import AlgoProto
import RPC

/// Rooms as the Problems service has them (Submissions never reads the problems schema).
struct GameDirectory: Sendable {
    let client: ProblemsV1.GamesClient
    var timeout: Duration = .seconds(5)

    /// The room, or NOT_FOUND; when Problems cannot answer, UNAVAILABLE (safe to retry).
    func room(id: Int64) async throws -> ProblemsV1.Room {
        var request = ProblemsV1.GetRoomRequest()
        request.roomId = id
        do {
            guard let room = try await self.client.getRoom(request, options: RPCCallOptions(timeout: self.timeout)).room else {
                throw RPCError(.notFound, "no room with id \(id)")
            }
            return room
        } catch let error as RPCError {
            throw ProblemDirectory.mapped(error, notFound: "no room with id \(id)")
        }
    }

    static func word(_ kind: ProblemsV1.RoomKind) -> String {
        switch kind {
        case .ranking: "ranking"
        case .practice: "practice"
        // An unknown kind is never rated.
        default: "general"
        }
    }
}
