import AlgoProto
import RPC
import Synchronization
import Testing

/// Records the paths of the calls it carries and answers with default responses.
final class RecordingTransport: RPCTransport {
    let paths = Mutex<[String]>([])

    func call<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        options: RPCCallOptions
    ) async throws -> Response {
        paths.withLock { $0.append(method.path) }
        return Response()
    }
}

struct FixedHealth: CommonV1.HealthHandler {
    func check(_ request: CommonV1.HealthCheckRequest, context: RPCServerContext) async throws -> CommonV1.HealthCheckResponse {
        .with { $0.status = .serving }
    }
}

@Suite("Generated services")
struct GeneratedServiceTests {
    @Test("method paths are <package>.<Service>/<Method>")
    func paths() {
        let methods: [(String, String)] = [
            (UsersV1.Users.serviceName, UsersV1.Users.registerUser.path),
            (UsersV1.Users.serviceName, UsersV1.Users.getUsersByIds.path),
            (ProblemsV1.Problems.serviceName, ProblemsV1.Problems.downloadTestData.path),
            (SubmissionsV1.Submissions.serviceName, SubmissionsV1.Submissions.completeJudging.path),
            (JudgeV1.Judge.serviceName, JudgeV1.Judge.getQueueStats.path),
            (CommonV1.Health.serviceName, CommonV1.Health.check.path),
        ]
        for (service, path) in methods {
            #expect(path.hasPrefix(service + "/"))
            #expect(path.dropFirst(service.count + 1).first?.isUppercase == true)
            #expect(service.hasPrefix("algosports."))
        }
    }

    @Test("idempotency comes from idempotency_level")
    func idempotency() {
        #expect(CommonV1.Health.check.isIdempotent)
        #expect(UsersV1.Users.getProfile.isIdempotent)  // NO_SIDE_EFFECTS
        #expect(UsersV1.Users.revoke.isIdempotent)  // IDEMPOTENT
        #expect(!UsersV1.Users.registerUser.isIdempotent)  // unset
        #expect(!UsersV1.Users.refresh.isIdempotent)
        #expect(SubmissionsV1.Submissions.completeJudging.isIdempotent)
        #expect(!SubmissionsV1.Submissions.rejudge.isIdempotent)
        #expect(!ProblemsV1.Problems.putTestData.isIdempotent)
    }

    @Test("a client calls the generated method on its transport")
    func client() async throws {
        let transport = RecordingTransport()
        let users = UsersV1.UsersClient(transport)
        _ = try await users.getProfile(.with { $0.userId = 7 })
        _ = try await users.authenticate(.with { $0.login = .email("a@b.c") })
        let judge = JudgeV1.JudgeClient(transport)
        _ = try await judge.getCapabilities(JudgeV1.GetCapabilitiesRequest(), options: RPCCallOptions(timeout: .seconds(1)))
        #expect(transport.paths.withLock { $0 } == [
            UsersV1.Users.getProfile.path, UsersV1.Users.authenticate.path, JudgeV1.Judge.getCapabilities.path,
        ])
    }

    @Test("a handler's service definition lists every method")
    func serviceDefinition() {
        let definition = FixedHealth().serviceDefinition
        #expect(definition.name == CommonV1.Health.serviceName)
        #expect(definition.methods.map(\.path) == [CommonV1.Health.check.path])
    }
}
