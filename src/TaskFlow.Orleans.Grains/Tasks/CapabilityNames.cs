namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>The one rule for capability names (they travel comma-separated in silo metadata).</summary>
internal static class CapabilityNames
{
    /// <summary>Letters, digits, '-', '_' and '.'; not empty.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
