/// The OpenAPI 3.1 document Edge serves at /openapi.json, built from ``APIOperation/all``.
/// `Edge print-openapi` writes it; docs/openapi.json is that output, checked by a test and by
/// tools/check-openapi.sh (openapi-spec-validator).
enum OpenAPIDocument {
    static func build(_ operations: [APIOperation] = APIOperation.all) -> JSONValue {
        var paths: [(String, [APIOperation])] = []
        for operation in operations {
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1.append(operation)
            } else {
                paths.append((operation.path, [operation]))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "AlgoSports API",
                "version": "1.0.0",
                "description": """
                    The public HTTP API of AlgoSports, served by Edge. Errors are RFC 9457 problem documents \
                    (application/problem+json) with a stable `type`. Every response carries X-Request-Id \
                    (send your own to correlate logs); a W3C `traceparent` header is continued into the services.
                    """,
            ],
            "tags": [
                ["name": "auth", "description": "Accounts and tokens"],
                ["name": "users", "description": "Profiles and roles"],
                ["name": "problems", "description": "Classic problems, their test data and languages"],
                ["name": "submissions", "description": "Submissions, verdicts and live updates"],
                ["name": "games", "description": "Games, their versions and rooms, bots, leaderboards and ratings"],
                ["name": "matches", "description": "Matches between bots, replays, logs and live updates"],
                ["name": "legacy", "description": "Paths of the original frontend (dj-rest-auth)"],
                ["name": "operations", "description": "Health, metrics and this document"],
            ],
            "paths": .object(paths.map { path, operations in (path, Self.pathItem(path, operations)) }),
            "components": [
                "schemas": OpenAPISchemas.schemas.appending(GameSchemas.schemas),
                "responses": OpenAPISchemas.responses,
                "headers": OpenAPISchemas.headers,
                "securitySchemes": OpenAPISchemas.securitySchemes,
            ],
        ]
    }

    static var rendered: String { build().rendered() }

    private static func pathItem(_ path: String, _ operations: [APIOperation]) -> JSONValue {
        var members: [(String, JSONValue)] = []
        let parameters = path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
        if !parameters.isEmpty {
            members.append(("parameters", .array(parameters.map { name in
                ["name": .string(String(name.dropFirst().dropLast())), "in": "path", "required": true, "schema": ["type": "string"]]
            })))
        }
        for operation in operations {
            members.append((operation.method.rawValue.lowercased(), Self.operation(operation)))
        }
        return .object(members)
    }

    private static func operation(_ operation: APIOperation) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(operation.operationID)),
            ("summary", .string(operation.summary)),
            ("tags", [.string(operation.tag)]),
        ]
        switch operation.security {
        case .none: break
        case .bearer: members.append(("security", [["bearerAuth": []]]))
        case .optionalBearer: members.append(("security", [[:], ["bearerAuth": []]]))
        }
        if !operation.parameters.isEmpty {
            members.append(("parameters", .array(operation.parameters.map(Self.parameter))))
        }
        if let body = operation.requestBody {
            var content: [(String, JSONValue)] = [("application/json", ["schema": OpenAPISchemas.ref(body)])]
            for other in operation.otherRequestBodies {
                content.append((other.mediaType, ["schema": OpenAPISchemas.ref(other.schema)]))
            }
            members.append(("requestBody", ["required": true, "content": .object(content)]))
        }
        members.append(("responses", Self.responses(operation)))
        return .object(members)
    }

    private static func responses(_ operation: APIOperation) -> JSONValue {
        let success = operation.success
        var successMembers: [(String, JSONValue)] = [("description", .string(success.description))]
        var headers: [(String, JSONValue)] = [("X-Request-Id", ["$ref": "#/components/headers/X-Request-Id"])]
        if success.status == 201 || success.location { headers.append(("Location", ["$ref": "#/components/headers/Location"])) }
        successMembers.append(("headers", .object(headers)))
        if let schema = success.schema {
            let content: JSONValue = ["schema": OpenAPISchemas.ref(schema)]
            successMembers.append(("content", .object([(success.mediaType, content)])))
        }
        var members: [(String, JSONValue)] = [(String(success.status), .object(successMembers))]
        for status in Self.problemStatuses(operation) {
            guard let entry = OpenAPISchemas.problemResponses.first(where: { $0.status == status }) else { continue }
            members.append((String(status), ["$ref": .string("#/components/responses/\(entry.name)")]))
        }
        members.append(("default", ["$ref": "#/components/responses/Error"]))
        return .object(members)
    }

    private static func parameter(_ parameter: APIOperation.Parameter) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(parameter.name)),
            ("in", .string(parameter.location.rawValue)),
            ("description", .string(parameter.description)),
        ]
        if parameter.repeated {
            members.append(("schema", ["type": "array", "items": parameter.schema]))
            members.append(("style", "form"))
            members.append(("explode", true))
        } else {
            members.append(("schema", parameter.schema))
        }
        return .object(members)
    }

    /// The statuses an operation documents besides its success.
    static func problemStatuses(_ operation: APIOperation) -> [Int] {
        var statuses = Set(operation.problems)
        if operation.requestBody != nil { statuses.formUnion([400, 413, 415, 422]) }
        if operation.tag == "legacy" { statuses.remove(422) }  // dj-rest-auth answered invalid fields with 400
        if operation.security != .none { statuses.insert(401) }
        if operation.rateLimited { statuses.insert(429) }
        return statuses.sorted()
    }
}
