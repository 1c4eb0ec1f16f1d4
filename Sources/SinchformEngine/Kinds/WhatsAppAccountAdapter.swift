import ProvisioningAPI
import SinchformManifest

/// The project's WhatsApp account (part C §3.1, §2.1): one per project, read with one GET, of which sinchform manages
/// only template analytics (`wabaEnabledForInsights`), turned on with `PUT …/enableTemplateAnalytics` and never off.
/// sinchform never creates or deletes the account: removing it from the manifests forgets it.
struct WhatsAppAccountAdapter: KindAdapter {
    let kind = ResourceKind.whatsappAccount
    let canDelete = false
    let deleteConsequence: String? = "sinchform never deletes the WhatsApp account; it stays in the project"
    let createRefusal: String? =
        "the project has no WhatsApp account (GET …/whatsapp: 404 account_not_found), and sinchform never creates "
        + "one; create it with Embedded Signup or in the Sinch dashboard and plan again, or remove whatsappAccount "
        + "from the manifests"
    /// The account is the project's: it has no server id of its own, so every account has this identity.
    static let identity = RemoteIdentity.id("whatsapp")

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        let account: ProvisioningClient.WhatsAppAccount.Account
        do {
            account = try await client.whatsappAccount.get(label: kind.rawValue)
        } catch let error as APIError
            where (error.status == 404 && error.errorCode == "account_not_found")
            || (error.status == 400 && error.errorCode == "project_not_initialized")
        {
            // No account (part C §3.1: 404; the operations on the account say 400 project_not_initialized).
            return []
        }
        var item: JSONObject = ["templateAnalytics": .bool(account.templateAnalytics ?? false)]
        item["state"] = account.body["state"]
        item["pending"] = account.pendingChangesStatus.map(JSONValue.string)
        return [try live(.object(item), parent: nil)]
    }

    /// `item`: the comparable view `list` made from the account (`templateAnalytics`, and its `state`).
    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        LiveResource(
            kind: kind, identity: Self.identity, effective: item.removing(["state", "pending"]),
            review: ReviewStatus(state: item["state"]?.stringValue, pending: item["pending"]?.stringValue))
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? { Self.identity }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        throw EngineError.plan(["\(desired.address): \(createRefusal ?? "")"])
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        switch spec["templateAnalytics"] {
        case .bool(true)?:
            try await client.whatsappAccount.enableTemplateAnalytics(label: label)
            return ["templateAnalytics": true]
        case .bool(false)?:
            throw EngineError.plan([
                "\(label).templateAnalytics: template analytics cannot be turned off; the API has no way to disable them"
            ])
        default:
            return nil
        }
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        throw EngineError.plan(["\(label): \(deleteConsequence ?? "")"])
    }

    func updateRefusal(_ review: ReviewStatus) -> String? {
        guard review.state != "ONBOARDED" else { return nil }
        return "the account is \(review.state ?? review.pending ?? "under review"), not onboarded: the API refuses "
            + "template analytics (424 template_insights_not_yet_available) until it is"
    }
}
