namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>The rules for a run's tags, checked before anything is stored.</summary>
internal static class RunTags
{
    public const int MaxCount = 20;
    public const int MaxLength = 100;

    /// <summary>The tags, distinct and in order, or an exception naming the bad one and the rule.</summary>
    public static string[] Validate(IReadOnlyList<string> tags)
    {
        if (tags.Count > MaxCount)
        {
            throw new ArgumentException($"A run has {tags.Count} tags; at most {MaxCount} are allowed (StartFlowOptions.Tags).", nameof(tags));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxLength || tag.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                var shown = tag is null ? "null" : $"'{(tag.Length > 40 ? tag[..40] + "…" : tag)}'";
                throw new ArgumentException(
                    $"Tag {shown} is not allowed: a tag must be non-empty, at most {MaxLength} characters, and have no line breaks (StartFlowOptions.Tags).",
                    nameof(tags));
            }
        }

        return [.. tags.Distinct(StringComparer.Ordinal)];
    }
}
