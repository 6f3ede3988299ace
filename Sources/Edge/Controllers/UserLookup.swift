import AlgoProto
import RPC

/// Usernames to user ids (Users owns them), for routes and filters that name a user.
struct UserLookup: Sendable {
    let users: UsersV1.UsersClient
    let upstream: UpstreamOptions

    /// The user's id; nil when there is no such user (a filter then matches nothing).
    func id(_ username: String, viewer: Caller?, context: EdgeRequestContext) async throws -> Int64? {
        var call = UsersV1.GetUserByUsernameRequest()
        call.username = username
        do {
            let id = try await self.users.getUserByUsername(call, options: self.upstream.callOptions(context, caller: viewer)).user?.id ?? 0
            return id > 0 ? id : nil
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }
}
