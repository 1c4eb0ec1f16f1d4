import Foundation
import ProvisioningAPI
import SinchformManifest

/// Manifest names for imported resources, derived from what identifies them in the project (a webhook's target,
/// a sender's plusFriendId or phone number, a template's name, a brand name), so the names mean something to a
/// reader and come out the same on every import.
enum ImportNaming {
    /// The longest name produced; the kinds allow 128, and a uniqueness suffix needs room.
    static let maximumLength = 100

    /// The readable basis of a resource's name, before slugging and de-duplication (the kind's
    /// ``ResourceDefinition/Importing/nameBasis``, else its server id).
    static func basis(of live: LiveResource) -> String {
        live.kind.definition.importing.nameBasis(live.effective, live.identity.name) ?? live.identity.id ?? ""
    }

    /// Lower-case letters, digits and single hyphens: `ops.example.com/sinch/hooks` → `ops-example-com-sinch-hooks`.
    static func slug(_ text: String, fallback: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !result.isEmpty { result += "-" }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        if result.count > maximumLength {
            result = String(result.prefix(maximumLength))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result.isEmpty ? fallback : result
    }

    /// Assigns each key a unique name: the slug of its basis, with `-2`, `-3`… for the second and later holders
    /// of the same slug. `keys` must already be in a stable order; the first holder keeps the plain slug.
    static func unique(_ bases: [String], fallback: String) -> [String] {
        var taken = Set<String>()
        return bases.map { basis in
            let base = slug(basis, fallback: fallback)
            var name = base
            var counter = 2
            while !taken.insert(name).inserted {
                name = "\(base)-\(counter)"
                counter += 1
            }
            return name
        }
    }

    /// An environment variable name for a resource's secret: `ops-events` → `OPS_EVENTS_WEBHOOK_SECRET`.
    static func secretVariable(for name: String, kind: ResourceKind, field: String) -> String {
        [name, kind.rawValue, field].map {
            $0.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        }.joined(separator: "_")
    }
}
