import Foundation
import ProvisioningAPI
import SinchformManifest

/// Manifest names for imported resources, derived from what identifies them in the project (a webhook's target,
/// a sender's plusFriendId or phone number, a template's name, a brand name), so the names mean something to a
/// reader and come out the same on every import.
enum ImportNaming {
    /// The longest name produced; the kinds allow 128, and a uniqueness suffix needs room.
    static let maximumLength = 100

    /// The readable basis of a resource's name, before slugging and de-duplication.
    static func basis(of live: LiveResource) -> String {
        let effective = live.effective
        switch live.kind {
        case .webhook:
            let target = effective["target"]?.stringValue ?? ""
            guard let components = URLComponents(string: target), let host = components.host else { return target }
            return host + components.path
        case .whatsappTemplate:
            return live.identity.name ?? ""
        case .whatsappSender:
            let code = effective.at(["details", "countryCode"])?.stringValue ?? ""
            let number = effective.at(["details", "phoneNumber"])?.stringValue ?? ""
            return "phone " + code + number
        case .kakaotalkSender:
            return live.identity.plusFriendId ?? ""
        case .kakaotalkTemplate:
            return effective.at(["details", "name"])?.stringValue ?? live.identity.id ?? ""
        case .rcsSender:
            return effective.at(["details", "brand", "name"])?.stringValue ?? ""
        }
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

    /// An environment variable name for a webhook's secret: `ops-events` → `OPS_EVENTS_WEBHOOK_SECRET`.
    static func secretVariable(for name: String) -> String {
        let upper = name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return upper + "_WEBHOOK_SECRET"
    }
}
