/// The ways a plan can be written out.
///
/// `text` is for terminals, `json` is the saved-plan format (machine-readable, stable), `markdown` is for
/// pull-request comments, `html` is one self-contained page with previews of the changed messages.
public enum PlanFormat: String, CaseIterable, Sendable {
    /// Human-readable, optionally coloured; for terminals and CI logs.
    case text
    /// The Codable encoding of ``Plan``: pretty-printed, sorted keys; the same plan always gives the same bytes.
    case json
    /// GitHub-flavoured Markdown for pull-request comments, capped in length.
    case markdown
    /// One self-contained HTML page (inline CSS, no script, no external asset): the plan with before/after previews
    /// of every changed WhatsApp template, KakaoTalk template and RCS sender.
    case html
}

/// What a rendered plan describes, which decides its wording.
public enum PlanMode: Sendable {
    /// Manifests against live state: "Plan: 1 to create, …" / "No changes."
    case plan
    /// Live state against what was last applied: "Drift: …" / "No drift."
    case drift
}
