import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ProvisioningEmulator

/// The emulator under load, in this process: seed time and memory for a large state, then list/get throughput.
struct EmulatorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Seed the in-process emulator through PUT /_emulator/state, then drive list/get requests.")

    @Option(help: "Resources to seed, spread over six kinds.") var resources = 100_000
    @Option(help: "Concurrent connections.") var connections = 16
    @Option(help: "Seconds of load.") var seconds = 10.0

    static let project = "sinchform-project"
    static let authorization = "Basic " + Data("sinchform-key:sinchform-secret".utf8).base64EncodedString()

    func run() async throws {
        let rssBefore = residentMegabytes()
        let server = EmulatorServer()
        let base = try await server.start(host: "127.0.0.1", port: 0)
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        do {
            var (state, ids) = StateGenerator(resources: resources).make()
            let rssWithBody = residentMegabytes()
            let seedStart = ContinuousClock.now
            let seeded = try await send(client, .PUT, base + "/_emulator/state", body: state)
            let seedSeconds = (ContinuousClock.now - seedStart).seconds
            guard seeded == 204 else { throw ValidationError("seeding answered HTTP \(seeded)") }
            let bodyMegabytes = Double(state.count) / 1_048_576
            // The client's copy of the body is not the emulator's state; drop it before measuring.
            state = []
            let rssAfter = residentMegabytes()

            let paths = Self.paths(ids)
            for path in paths.prefix(8) {
                let status = try await send(client, .GET, base + path, body: nil)
                guard status == 200 else { throw ValidationError("GET \(path) answered HTTP \(status)") }
            }
            let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
            let loadStart = ContinuousClock.now
            let totals = try await withThrowingTaskGroup(of: (requests: Int, failures: Int).self) { group in
                for worker in 0..<connections {
                    group.addTask {
                        var index = worker
                        var done = 0
                        var failed = 0
                        while ContinuousClock.now < deadline {
                            let path = paths[index % paths.count]
                            index += connections
                            let status = try await send(client, .GET, base + path, body: nil)
                            done += 1
                            if status != 200 { failed += 1 }
                        }
                        return (done, failed)
                    }
                }
                var sum = (requests: 0, failures: 0)
                for try await part in group {
                    sum.requests += part.requests
                    sum.failures += part.failures
                }
                return sum
            }
            let loadSeconds = (ContinuousClock.now - loadStart).seconds
            let rssEnd = residentMegabytes()
            let rate = Double(totals.requests) / loadSeconds

            print("emulator benchmark (in-process server, loopback HTTP/1.1)")
            print(String(format: "  %-34@ %14@  %@", "measure" as NSString, "value" as NSString, "target"))
            func row(_ name: String, _ value: String, _ target: String) {
                print(
                    "  " + name.padding(toLength: 34, withPad: " ", startingAt: 0) + " "
                        + String(repeating: " ", count: max(0, 14 - value.count)) + value + "  " + target)
            }
            row("resources seeded", "\(resources)", "")
            row("seed body", String(format: "%.1f MB", bodyMegabytes), "")
            row("seed time (PUT /_emulator/state)", String(format: "%.2f s", seedSeconds), "")
            row("RSS before start", String(format: "%.0f MB", rssBefore), "")
            row("RSS after seeding", String(format: "%.0f MB", rssAfter), "< 500 MB")
            row("RSS growth from seeding", String(format: "%.0f MB", rssAfter - rssWithBody), "")
            row("RSS after load", String(format: "%.0f MB", rssEnd), "")
            row("requests (list/get mix)", "\(totals.requests)", "")
            row("non-200 answers", "\(totals.failures)", "0")
            row("throughput, \(connections) connections", String(format: "%.0f req/s", rate), ">= 2000 req/s")
        } catch {
            try await client.shutdown()
            try await server.stop()
            throw error
        }
        try await client.shutdown()
        try await server.stop()
    }

    /// A mix of gets and small-page lists over every seeded kind.
    static func paths(_ ids: StateGenerator.Keys) -> [String] {
        let root = "/v1/projects/\(project)/"
        var paths: [String] = []
        for index in 0..<200 {
            paths.append(root + "rcs/senders/" + ids.rcs[(index * 7919) % ids.rcs.count])
            paths.append(root + "whatsapp/senders/" + ids.whatsapp[(index * 104_729) % ids.whatsapp.count])
            paths.append(root + "kakaotalk/senders/" + ids.kakao[(index * 1_299_709) % ids.kakao.count])
            switch index % 4 {
            case 0: paths.append(root + "whatsapp/senders?pageSize=10")
            case 1: paths.append(root + "rcs/senders?pageSize=10")
            case 2: paths.append(root + "kakaotalk/senders?pageSize=10")
            default: paths.append(root + "whatsapp/templates?pageSize=10")
            }
        }
        return paths
    }
}

private func send(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: [UInt8]?) async throws -> Int {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Authorization", value: EmulatorBenchmark.authorization)
    if let body {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
    }
    let response = try await client.execute(request, timeout: .seconds(120))
    _ = try await response.body.collect(upTo: 64 << 20)
    return Int(response.status.code)
}

/// VmRSS of this process from /proc/self/status, in MB (0 where /proc is missing).
private func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
    return kilobytes / 1024
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Builds an emulator state dump with realistic documents, as the bytes of `PUT /_emulator/state`.
struct StateGenerator {
    var resources: Int

    struct Keys {
        var rcs: [String] = []
        var whatsapp: [String] = []
        var kakao: [String] = []
    }

    /// Each collection's members are appended as bytes as they are made: building them as strings first (then
    /// joining) left ~150 MB of freed fragments in this process, which showed up in the emulator's RSS figures.
    func make() -> ([UInt8], Keys) {
        var keys = Keys()
        var collections: [String: [UInt8]] = [:]
        let stamp = "2025-01-19T13:11:08.204Z"
        for index in 0..<resources {
            let seq = index + 1
            let uuid = UUID().uuidString.lowercased()
            switch index % 6 {
            case 0:
                keys.rcs.append(uuid)
                append(
                    to: &collections["rcsSenders", default: []],
                    uuid, seq,
                    """
                    {"id":"\(uuid)","state":"IN_TEST","region":"EU","billingCategory":"CONVERSATIONAL",\
                    "useCase":"OTP","hostingRegion":"EUROPE","authName":"auth\(seq)","authToken":"token\(seq)",\
                    "created":"\(stamp)","modified":"\(stamp)","testNumberStates":[{"number":"+4670000\(seq)",\
                    "state":"UNVERIFIED","submitted":"\(stamp)"}],"countryStatus":[],"supplierDetails":\
                    {"google":{"agentId":"agent\(seq)","brandId":"brand\(seq)"}},"details":{"brand":{"name":\
                    "Brand \(seq)","color":"#000000","emails":[{"label":"support","address":"s\(seq)@example.com"}]},\
                    "testNumbers":["+4670000\(seq)"],"countries":[],"questionnaire":{"general":{"answers":\
                    {"optInDescription":"By subscribing to a newsletter"}}}}}
                    """)
            case 1:
                keys.whatsapp.append(uuid)
                append(
                    to: &collections["whatsappSenders", default: []],
                    uuid, seq,
                    """
                    {"id":"\(uuid)","state":"ACTIVE","region":"EU","metaLocalStorage":"DE","cloudApi":true,\
                    "businessManager":"SINCH_UK","compatibleRegions":["eu"],"numberProvider":"CUSTOMER",\
                    "countryCode":"48","phoneNumber":"7\(seq)","created":"\(stamp)","modified":"\(stamp)",\
                    "maxTps":10,"qualityRating":"GREEN","bearerToken":"a.b.c\(seq)","details":{"displayName":\
                    "Sender \(seq)","vertical":"EDUCATION","about":"About \(seq)"},"metadata":{"displayName":\
                    {"value":"Sender \(seq)","status":"APPROVED"}}}
                    """)
            case 2:
                let friend = "@friend\(seq)"
                keys.kakao.append(friend)
                append(
                    to: &collections["kakaotalkSenders", default: []],
                    friend, seq,
                    """
                    {"id":"\(uuid)","plusFriendId":"\(friend)","state":"ACTIVE","created":"\(stamp)",\
                    "modified":"\(stamp)","details":{"name":"Friend \(seq)","adminPhoneNo":"01012345678",\
                    "topLevelCategoryCode":"001","midLevelCategoryCode":"0001","subLevelCategoryCode":"0001"}}
                    """)
            case 3:
                let name = "template_\(seq)"
                append(
                    to: &collections["whatsappTemplates", default: []],
                    name + "/EN_US", seq,
                    """
                    {"name":"\(name)","language":"EN_US","state":"APPROVED","category":"UTILITY",\
                    "created":"\(stamp)","modified":"\(stamp)","details":{"category":"UTILITY",\
                    "components":[{"type":"BODY","text":"Hello {{1}}, order \(seq) shipped.",\
                    "examples":["Ann"]}]}}
                    """)
            case 4:
                let code = "CODE\(seq)"
                let friend = "@friend\(seq - 2)"
                append(
                    to: &collections["kakaotalkTemplates", default: []],
                    friend + "/" + code, seq,
                    """
                    {"id":"\(uuid)","code":"\(code)","state":"APPROVED","created":"\(stamp)",\
                    "modified":"\(stamp)","details":{"name":"Template \(seq)","language":"KO",\
                    "content":"Hello #{name}, your code is #{code}.","messageType":"BASIC",\
                    "emphasizeType":"EMPHASIZE_TYPE_NONE","categoryCode":"999999","securityFlag":false,\
                    "buttons":[]}}
                    """)
            default:
                append(
                    to: &collections["webhooks", default: []],
                    uuid, seq,
                    """
                    {"id":"\(uuid)","projectId":"\(EmulatorBenchmark.project)",\
                    "target":"https://hooks.example.com/\(seq)","targetType":"HTTP",\
                    "triggers":["WHATSAPP_TEMPLATE_APPROVED"]}
                    """)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(collections.values.reduce(256) { $0 + $1.count + 64 })
        out += "{\"clockOffset\":0,\"seq\":\(resources),\"projects\":{\"\(EmulatorBenchmark.project)\":{".utf8
        for (index, (name, items)) in collections.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += "\"\(name)\":{\"items\":{".utf8
            out += items
            out += "}}".utf8
        }
        out += "}}}".utf8
        return (out, keys)
    }

    private func append(to items: inout [UInt8], _ key: String, _ seq: Int, _ doc: String) {
        if !items.isEmpty { items.append(UInt8(ascii: ",")) }
        items += "\"\(key)\":{\"doc\":".utf8
        items += doc.utf8
        items += ",\"seq\":\(seq),\"activities\":[],\"submitted\":true}".utf8
    }
}
