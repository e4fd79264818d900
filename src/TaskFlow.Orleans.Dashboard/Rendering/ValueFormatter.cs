using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>A value as the dashboard shows it: masked, as JSON, cut to the configured length.</summary>
/// <param name="Text">What is shown (cut when <paramref name="IsCut"/>).</param>
/// <param name="Length">The length of the whole value as JSON.</param>
/// <param name="IsCut">Whether <paramref name="Text"/> is only the start of the value.</param>
/// <param name="IsMasked">Whether the value was hidden because its name is a masked key.</param>
internal readonly record struct ShownValue(string Text, int Length, bool IsCut, bool IsMasked);

/// <summary>Turns inputs, results and arguments into text for pages and JSON, hiding masked keys: the dashboard's own
/// <see cref="TaskFlowDashboardOptions.MaskedKeys"/> and, for a run, the names its snapshot says the silos masked
/// (<see cref="Snapshots.FlowSnapshot.MaskedNames"/>; their values arrive as <c>***</c> already).</summary>
internal sealed class ValueFormatter(TaskFlowDashboardOptions options, IReadOnlySet<string>? runMasked = null)
{
    /// <summary>This formatter, also hiding the names the silos masked in <paramref name="snapshot"/>.</summary>
    public ValueFormatter For(Snapshots.FlowSnapshot snapshot) =>
        snapshot.MaskedNames.IsDefaultOrEmpty ? this : new ValueFormatter(options, new HashSet<string>(snapshot.MaskedNames, StringComparer.Ordinal));

    /// <summary>What a masked value shows as.</summary>
    public const string Mask = "***";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        // Pages encode what they show, so the JSON keeps <, > and quotes readable instead of \u003C.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 32,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Whether values stored under <paramref name="key"/> are hidden.</summary>
    public bool IsMasked(string? key) => key is not null && (options.MaskedKeys.Contains(key) || runMasked?.Contains(key) == true);

    /// <summary>Whether any of the names an atom provides is masked (its result is then hidden).</summary>
    public bool AnyMasked(IEnumerable<string>? keys) => keys is not null && keys.Any(IsMasked);

    /// <summary>Whether anything is masked at all.</summary>
    public bool HasMaskedKeys => options.MaskedKeys.Count > 0 || runMasked is { Count: > 0 };

    /// <summary>The value shown under a name, cut to the page length.</summary>
    public ShownValue Show(object? value, bool masked)
    {
        if (masked)
        {
            return new ShownValue(Mask, Mask.Length, IsCut: false, IsMasked: true);
        }

        var json = ToJson(value);
        return json.Length <= options.MaxValueLength
            ? new ShownValue(json, json.Length, IsCut: false, IsMasked: false)
            : new ShownValue(json[..options.MaxValueLength], json.Length, IsCut: true, IsMasked: false);
    }

    /// <summary>The whole value as JSON, or its text when it does not serialise.</summary>
    public static string ToJson(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string text:
                return JsonSerializer.Serialize(text, Json);
        }

        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Json);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            return JsonSerializer.Serialize(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", Json);
        }
    }

    /// <summary>A dictionary of values with its masked keys replaced.</summary>
    public IReadOnlyDictionary<string, object?> MaskAll(IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(pair => pair.Key, pair => IsMasked(pair.Key) ? Mask : pair.Value, StringComparer.Ordinal);

    /// <summary>A byte count as people read it.</summary>
    public static string Size(int characters) => characters switch
    {
        < 1_000 => $"{characters} characters",
        < 1_000_000 => $"{characters / 1_000.0:0.#} k characters",
        _ => $"{characters / 1_000_000.0:0.#} M characters",
    };
}
