import Foundation
import ProvisioningAPI
import SinchformManifest

/// Generates `schemas/plan.schema.json`: JSON Schema 2020-12 of the plan JSON (`plan --format json`, saved plans).
///
/// Written by hand beside the Codable model; `PlanJSONSchemaTests` check that every key the encoder writes is
/// described here, so the two cannot drift apart silently.
public enum PlanJSONSchema {
    /// The schema document: pretty-printed, keys sorted, ending in a newline.
    ///
    /// - Throws: `EncodingError` (not expected: the document holds only strings, integers and Booleans).
    public static func document() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(root), as: UTF8.self) + "\n"
    }

    static let sensitiveConvention =
        "Sensitive values (webhook secrets, and values from ${env.NAME} when NAME contains SECRET, TOKEN, PASSWORD, PASSWD, CREDENTIAL or PRIVATE, in whatever field) are never written in clear: each such leaf is the string \"(sensitive)\"."

    static var root: JSONValue {
        [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "sinchform plan",
            "description": .string(
                "A sinchform plan, as written by `sinchform plan --format json` and `sinchform plan --out FILE`, and read by `sinchform show` and `sinchform apply`. Keys are sorted; the same plan always serialises to the same bytes. "
                    + sensitiveConvention),
            "type": "object",
            "additionalProperties": false,
            "required": ["formatVersion", "project", "manifestDirectory", "summary", "changes"],
            "properties": [
                "formatVersion": [
                    "type": "integer", "const": .number(Double(Plan.currentFormatVersion)),
                    "description": "Version of this format; a sinchform refuses plans of another version.",
                ],
                "project": ["type": "string", "description": "The Sinch project the plan was made for."],
                "manifestDirectory": [
                    "type": "string",
                    "description":
                        "The manifest directory the plan was made from; apply reads write-only values from it again. In a saved plan, relative to the plan file.",
                ],
                "scope": [
                    "type": "object",
                    "description":
                        "The --target and --exclude the plan was made with (absent when none); applying the saved plan uses them.",
                    "additionalProperties": false,
                    "required": ["targets", "excludes"],
                    "properties": [
                        "targets": ["type": "array", "items": ["type": "string"]],
                        "excludes": ["type": "array", "items": ["type": "string"]],
                    ],
                ],
                "digest": [
                    "type": "string",
                    "description":
                        "In a saved plan: sha256 of the plan without this member; a plan edited after it was written is refused.",
                ],
                "lockLineage": [
                    "type": "string",
                    "description":
                        "Lineage of the sinchform.lock the plan was made against (absent when there was none); apply refuses the plan if it differs.",
                ],
                "lockSerial": [
                    "type": "integer", "minimum": 0,
                    "description":
                        "Serial of that lock file (absent when there was none); apply refuses the plan if the lock has moved since.",
                ],
                "summary": ["$ref": "#/$defs/summary"],
                "changes": [
                    "type": "array", "items": ["$ref": "#/$defs/change"],
                    "description":
                        "One entry per resource, unchanged ones included (action noop), in execution order: dependencies first, deletes in reverse.",
                ],
            ],
            "$defs": [
                "summary": summary,
                "change": change,
                "fieldChange": fieldChange,
                "diffEntry": diffEntry,
                "reviewStatus": reviewStatus,
                "remoteIdentity": remoteIdentity,
                "action": action,
                "origin": origin,
                "kind": [
                    "type": "string", "enum": .array(ResourceKind.allCases.map { .string($0.rawValue) }),
                    "description": "The kind of resource, as in the manifests' top-level keys without the final s.",
                ],
                "address": [
                    "type": "string",
                    "pattern": .string(
                        "^(("
                            + ResourceKind.allCases.filter { !$0.isSingleton }.map(\.rawValue)
                            .joined(separator: "|") + ")\\..+|"
                            + ResourceKind.allCases.filter(\.isSingleton).map(\.rawValue)
                            .joined(separator: "|") + ")$"),
                    "description":
                        "A resource address: webhook.NAME, whatsappTemplate.NAME[LANG], whatsappSender.NAME, kakaotalkSender.NAME, kakaotalkTemplate.NAME, rcsSender.NAME, whatsappAccount.",
                ],
                "value": [
                    "description": .string(
                        "Any JSON value: a resource's comparable view or one of its fields. Server-computed fields (ids, states, timestamps) are left out. "
                            + sensitiveConvention)
                ],
            ],
        ]
    }

    private static func count(_ description: String) -> JSONValue {
        ["type": "integer", "minimum": 0, "description": .string(description)]
    }

    static var summary: JSONValue {
        [
            "type": "object",
            "description": "How many changes of each action the plan holds.",
            "additionalProperties": false,
            "required": ["create", "update", "replace", "delete", "noop", "adopt", "forget", "drift"],
            "properties": [
                "create": count("Resources to create."),
                "update": count("Resources to update in place."),
                "replace": count("Resources to delete and create again (an immutable field changed)."),
                "delete": count("Resources to delete."),
                "noop": count("Resources that already match."),
                "adopt": count("Live resources sinchform takes ownership of."),
                "forget": count("Resources sinchform stops managing without deleting them."),
                "move": count(
                    "Resources renamed in the manifests, recorded under their new address with no API call (absent when none)."
                ),
                "drift": count(
                    "Changes that come, at least in part, from edits made outside sinchform (origin drift or manifest+drift); they are also counted under their action."
                ),
            ],
        ]
    }

    static var change: JSONValue {
        [
            "type": "object",
            "description": "What happens to one resource, and why.",
            "additionalProperties": false,
            "required": [
                "address", "kind", "action", "reason", "fields", "forcesReplacement", "consequences", "dependsOn",
            ],
            "properties": [
                "address": ["$ref": "#/$defs/address"],
                "kind": ["$ref": "#/$defs/kind"],
                "action": ["$ref": "#/$defs/action"],
                "reason": ["type": "string", "description": "Why this action, in a sentence."],
                "origin": ["$ref": "#/$defs/origin"],
                "before": [
                    "$ref": "#/$defs/value",
                    "description":
                        "The live resource's comparable view; absent when it does not exist in the project.",
                ],
                "after": [
                    "$ref": "#/$defs/value",
                    "description": "The desired spec from the manifests; absent for delete and forget.",
                ],
                "fields": [
                    "type": "array", "items": ["$ref": "#/$defs/fieldChange"],
                    "description":
                        "Field-level differences by dotted path, sorted by path; empty for create and delete (see before / after).",
                ],
                "forcesReplacement": [
                    "type": "array", "items": ["type": "string"],
                    "description": "Paths of immutable fields whose change forces delete + create.",
                ],
                "consequences": [
                    "type": "array", "items": ["type": "string"],
                    "description":
                        "What the change means beyond the call: review, grace periods, 30-day name blocks.",
                ],
                "review": ["$ref": "#/$defs/reviewStatus"],
                "remoteId": ["$ref": "#/$defs/remoteIdentity"],
                "dependsOn": [
                    "type": "array", "items": ["$ref": "#/$defs/address"],
                    "description": "Addresses whose changes must complete before this one.",
                ],
                "movedFrom": [
                    "$ref": "#/$defs/address",
                    "description":
                        "The address sinchform.lock records this resource under, when the manifests renamed it (action move, or an update or replace that also renames).",
                ],
                "liveDigest": [
                    "type": "string",
                    "description":
                        "Digest of the live comparable view at plan time (absent when the resource does not exist); apply refuses a saved plan when it moved.",
                ],
                "desiredDigest": [
                    "type": "string", "description": "Digest of the desired spec, write-only values excluded.",
                ],
                "diff": [
                    "type": "array", "items": ["$ref": "#/$defs/diffEntry"],
                    "description":
                        "The changed leaves, as the text, Markdown and HTML plans show them: fields opened down to what changed, arrays of objects element by element under a stable key, set-like arrays as members added and removed. Absent for noop and when nothing is shown. Added in the same format version; readers ignore it.",
                ],
            ],
        ]
    }

    static var diffEntry: JSONValue {
        [
            "type": "object",
            "description":
                "One changed leaf: a value that appears (after only), disappears (before only) or changes (both), or the members added to and removed from a set-like array.",
            "additionalProperties": false,
            "required": ["path"],
            "properties": [
                "path": [
                    "type": "string",
                    "description":
                        "Dotted path with element keys: [BODY] (WhatsApp components by type), [0] (by position: carousel cards, WhatsApp buttons), [ordering=1] (KakaoTalk buttons), [label=\"Support\"] (RCS e-mails, phones, websites), e.g. details.components[BODY].text.",
                ],
                "before": ["$ref": "#/$defs/value", "description": "The live value; absent when the leaf appears."],
                "after": [
                    "$ref": "#/$defs/value", "description": "The desired value; absent when the leaf disappears.",
                ],
                "added": [
                    "type": "array", "items": ["$ref": "#/$defs/value"],
                    "description": "For a set-like array (webhook triggers, RCS countries): members that appear.",
                ],
                "removed": [
                    "type": "array", "items": ["$ref": "#/$defs/value"],
                    "description": "For a set-like array: members that disappear.",
                ],
                "forcesReplacement": [
                    "type": "boolean", "description": "Present (true) when the leaf's change forces delete + create.",
                ],
                "note": [
                    "type": "string",
                    "description": "Why the leaf shows although its value cannot be compared (write-only values).",
                ],
            ],
        ]
    }

    static var fieldChange: JSONValue {
        [
            "type": "object",
            "description": "One field that differs between live state and the manifests.",
            "additionalProperties": false,
            "required": ["path", "sensitive"],
            "properties": [
                "path": [
                    "type": "string",
                    "description":
                        "Dotted path of the field in the spec, e.g. details.components; arrays compare whole.",
                ],
                "before": ["$ref": "#/$defs/value", "description": "The live value; absent when the field is unset."],
                "after": ["$ref": "#/$defs/value", "description": "The desired value; absent when it is to be unset."],
                "sensitive": [
                    "type": "boolean",
                    "description":
                        "Whether the value is secret: before and after, when present, are then \"(sensitive)\".",
                ],
                "note": [
                    "type": "string",
                    "description":
                        "Why the field shows although its value cannot be compared (write-only values, compared by fingerprint).",
                ],
            ],
        ]
    }

    static var reviewStatus: JSONValue {
        [
            "type": "object",
            "description":
                "Where the resource stands in the provider's review (pending / approved / rejected / paused), separate from whether it matches the manifests.",
            "additionalProperties": false,
            "properties": [
                "state": [
                    "type": "string",
                    "description":
                        "The live object's state (APPROVED, ACTIVE, IN_TEST, PAUSED, REJECTED…); absent before first approval.",
                ],
                "pending": [
                    "type": "string",
                    "description":
                        "Status of a pending change (DRAFT, IN_PROGRESS, REJECTED, ERROR); absent when nothing is pending. A pending change counts as the live value.",
                ],
                "rejectionReason": [
                    "type": "string", "description": "Why the last review rejected it, when it did.",
                ],
            ],
        ]
    }

    static var remoteIdentity: JSONValue {
        [
            "type": "object",
            "description": "How the server identifies the resource.",
            "additionalProperties": false,
            "properties": [
                "id": [
                    "type": "string",
                    "description":
                        "Server id (webhooks, WhatsApp and RCS senders) or template code (KakaoTalk templates).",
                ],
                "plusFriendId": ["type": "string", "description": "KakaoTalk channel id (KakaoTalk senders)."],
                "name": ["type": "string", "description": "Template name (WhatsApp templates)."],
                "language": ["type": "string", "description": "Template language (WhatsApp templates)."],
            ],
        ]
    }

    static func meaning(of action: Action) -> String {
        switch action {
        case .create: return "create: the resource is created"
        case .update: return "update: changed in place"
        case .replace: return "replace: deleted, then created again, because an immutable field changed"
        case .delete: return "delete: removed from the manifests and deleted from the project"
        case .noop: return "noop: already matches"
        case .adopt: return "adopt: an existing live resource matching a manifest entry becomes managed (and updated)"
        case .forget:
            return "forget: sinchform stops managing it without deleting it (the API cannot delete it, or it is gone)"
        case .move:
            return "move: renamed in the manifests; the lock entry follows (movedFrom), no API call"
        }
    }

    static var action: JSONValue {
        [
            "type": "string", "enum": .array(Action.allCases.map { .string($0.rawValue) }),
            "description": .string(
                "What applying the plan does to the resource. "
                    + Action.allCases.map(meaning(of:)).joined(separator: "; ") + "."),
        ]
    }

    /// Every origin, in the order documented; the switch in `meaning(of:)` fails to compile when a case is added.
    static let origins: [Origin] = [.manifest, .drift, .manifestAndDrift]

    static func meaning(of origin: Origin) -> String {
        switch origin {
        case .manifest: return "manifest: the manifests changed since the last apply"
        case .drift: return "drift: someone changed the live resource outside sinchform"
        case .manifestAndDrift: return "manifest+drift: both"
        }
    }

    static var origin: JSONValue {
        [
            "type": "string", "enum": .array(origins.map { .string($0.rawValue) }),
            "description": .string(
                "Where the difference comes from, comparing manifests, live state and the lock file. "
                    + origins.map(meaning(of:)).joined(separator: "; ") + "."),
        ]
    }
}
