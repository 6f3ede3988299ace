import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// The document, the router and docs/openapi.json describe the same routes.
@Suite struct OpenAPITests {
    static var committedPath: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.json")
    }

    /// (method, Hummingbird path) pairs, e.g. ("GET", "/api/v1/users/{username}").
    static func documentedRoutes() -> Set<String> {
        let document = OpenAPIDocument.build()
        var routes = Set<String>()
        for path in document["paths"]?.keys ?? [] {
            for method in document["paths"]?[path]?.keys ?? [] where method != "parameters" {
                routes.insert("\(method.uppercased()) \(RouterPath(path).description)")
            }
        }
        return routes
    }

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() async throws {
        let harness = try await EdgeHarness()
        let (dependencies, _) = try EdgeDependencies.connect(
            configuration: harness.configuration, settings: try .load(name: "edge", defaultRPCPort: 0, environment: .init(["RPC_SECRET": TestServices.rpcSecret])),
            logger: TestServices.logger
        )
        let router = try buildRouter(configuration: harness.configuration, dependencies: dependencies)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        #expect(!registered.isEmpty)
        #expect(registered == Self.documentedRoutes())
        #expect(registered.count == APIOperation.all.count, "two operations share a method and path")
    }

    @Test func committedDocumentIsCurrent() throws {
        let committed = try String(contentsOf: Self.committedPath, encoding: .utf8)
        #expect(committed == OpenAPIDocument.rendered, "docs/openapi.json is stale: run `swift run Edge print-openapi > docs/openapi.json`")
    }

    @Test func documentIsOpenAPI31WithBearerSecurity() throws {
        let document = OpenAPIDocument.build()
        #expect(document["openapi"] == "3.1.0")
        #expect(document["components"]?["securitySchemes"]?["bearerAuth"]?["scheme"] == "bearer")
        #expect(document["paths"]?["/api/v1/users/me"]?["get"]?["security"] == [["bearerAuth": []]])
        #expect(document["paths"]?["/api/v1/users/{username}"]?["parameters"] != nil)
        // Every referenced schema exists.
        let rendered = OpenAPIDocument.rendered
        let schemas = Set(document["components"]?["schemas"]?.keys ?? [])
        let references = rendered.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
        for reference in references { #expect(schemas.contains(String(reference)), "\(reference)") }
        // Every problem type is listed.
        for type in ProblemType.allCases { #expect(rendered.contains(type.uri)) }
    }

    @Test func servedDocumentIsTheBuiltOne() async throws {
        try await EdgeHarness().run { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.bodyText == OpenAPIDocument.rendered)
        }
    }
}
