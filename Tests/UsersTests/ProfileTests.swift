import AlgoProto
import RPC
import ServiceKit
import Testing

@testable import Users

@Suite("Users: profiles and roles")
struct ProfileTests {
    @Test("owners update their profile; others cannot; admins can")
    func updateProfile() async throws {
        let users = try await UsersFixture.make()
        let ann = try #require(try await users.register(UsersFixture.uniqueName("ann")).user)
        let bob = try #require(try await users.register(UsersFixture.uniqueName("bob")).user)
        var change = UsersV1.UpdateProfileRequest()
        change.userId = ann.id
        change.displayName = "Ann Lee"
        change.bio = "Connect Four addict"
        let updated = try #require(try await users.handler.updateProfile(change, context: UsersFixture.context(user: ann.id)).user)
        #expect(updated.displayName == "Ann Lee" && updated.bio == "Connect Four addict" && updated.email == ann.email)

        await #expect { try await users.handler.updateProfile(change, context: UsersFixture.context(user: bob.id)) } throws: {
            ($0 as? RPCError)?.code == .permissionDenied
        }
        await #expect { try await users.handler.updateProfile(change, context: UsersFixture.context()) } throws: {
            ($0 as? RPCError)?.code == .unauthenticated
        }
        change.bio = nil
        change.displayName = "By an admin"
        let byAdmin = try #require(try await users.handler.updateProfile(change, context: UsersFixture.context(user: bob.id, role: "admin")).user)
        #expect(byAdmin.displayName == "By an admin" && byAdmin.bio == "Connect Four addict", "absent fields are unchanged")

        change.displayName = String(repeating: "x", count: 65)
        await #expect { try await users.handler.updateProfile(change, context: UsersFixture.context(user: ann.id)) } throws: {
            violations($0)["display_name"] != nil
        }
        change.displayName = nil
        change.email = bob.email.uppercased()
        await #expect { try await users.handler.updateProfile(change, context: UsersFixture.context(user: ann.id)) } throws: {
            ($0 as? RPCError)?.code == .alreadyExists && violations($0)["email"] != nil
        }
    }

    @Test("only admins change roles, to a known role")
    func roles() async throws {
        let users = try await UsersFixture.make()
        let ann = try #require(try await users.register(UsersFixture.uniqueName("ann")).user)
        var request = UsersV1.SetRoleRequest()
        request.userId = ann.id
        request.role = .staff
        await #expect { try await users.handler.setRole(request, context: UsersFixture.context(user: ann.id, role: "staff")) } throws: {
            ($0 as? RPCError)?.code == .permissionDenied
        }
        #expect(try await users.handler.setRole(request, context: UsersFixture.context(user: 1, role: "admin")).user?.role == .staff)
        request.role = .unspecified
        await #expect { try await users.handler.setRole(request, context: UsersFixture.context(user: 1, role: "admin")) } throws: {
            ($0 as? RPCError)?.code == .invalidArgument
        }
        request.role = .admin
        request.userId = Int64.max
        await #expect { try await users.handler.setRole(request, context: UsersFixture.context(user: 1, role: "admin")) } throws: {
            ($0 as? RPCError)?.code == .notFound
        }
    }

    @Test("look-ups by id, ids and username")
    func lookups() async throws {
        let users = try await UsersFixture.make()
        let ann = try #require(try await users.register(UsersFixture.uniqueName("ann")).user)
        let bob = try #require(try await users.register(UsersFixture.uniqueName("bob")).user)
        var byIDs = UsersV1.GetUsersByIdsRequest()
        byIDs.userIds = [bob.id, ann.id, Int64.max]
        #expect(try await users.handler.getUsersByIds(byIDs, context: UsersFixture.context()).users.map(\.id) == [ann.id, bob.id].sorted())
        var byName = UsersV1.GetUserByUsernameRequest()
        byName.username = ann.username.uppercased()
        #expect(try await users.handler.getUserByUsername(byName, context: UsersFixture.context()).user?.id == ann.id)
        byName.username = "nobody-here"
        await #expect { try await users.handler.getUserByUsername(byName, context: UsersFixture.context()) } throws: {
            ($0 as? RPCError)?.code == .notFound
        }
        var profile = UsersV1.GetProfileRequest()
        profile.userId = bob.id
        #expect(try await users.handler.getProfile(profile, context: UsersFixture.context()).user?.username == bob.username)
        byIDs.userIds = Array(repeating: 1, count: 1001)
        await #expect(throws: RPCError.self) { try await users.handler.getUsersByIds(byIDs, context: UsersFixture.context()) }
    }
}
