namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>The colours of atom states in every rendering: a light fill, a border of the same hue and dark text.</summary>
internal static class StatePalette
{
    /// <summary>The colours of a state by its TaskFlow name; unknown names get PENDING's.</summary>
    public static (string Fill, string Stroke, string Text) Of(string state) => state switch
    {
        "RUNNING" => ("#dbeafe", "#2563eb", "#1e3a8a"),
        "SUCCESS" => ("#dcfce7", "#16a34a", "#14532d"),
        "FAILURE" => ("#fee2e2", "#dc2626", "#7f1d1d"),
        "REVERTING" => ("#ffedd5", "#ea580c", "#7c2d12"),
        "REVERTED" => ("#fef3c7", "#d97706", "#78350f"),
        "REVERT_FAILURE" => ("#fecaca", "#991b1b", "#450a0a"),
        "IGNORE" => ("#e5e7eb", "#6b7280", "#374151"),
        "RETRYING" => ("#ede9fe", "#7c3aed", "#4c1d95"),
        _ => ("#ffffff", "#9ca3af", "#111827"),
    };

    /// <summary>Every state name that has its own colours, PENDING included.</summary>
    public static readonly string[] Names =
        ["PENDING", "RUNNING", "SUCCESS", "FAILURE", "REVERTING", "REVERTED", "REVERT_FAILURE", "IGNORE", "RETRYING"];
}
