using System.Globalization;

namespace TaskFlow.Orleans.Index;

/// <summary>The key a page of the run index continues after: the last run's creation time and id (runs are listed newest
/// first, ties broken by id), as an opaque token.</summary>
/// <param name="CreatedAt">The last listed run's creation time.</param>
/// <param name="RunId">The last listed run's id.</param>
public readonly record struct FlowPageCursor(DateTimeOffset CreatedAt, string RunId)
{
    /// <summary>The token for <see cref="FlowQuery.After"/>.</summary>
    /// <returns>The token.</returns>
    public override string ToString() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{RunId}"));

    /// <summary>Reads a token made by <see cref="ToString"/>.</summary>
    /// <param name="token">The token.</param>
    /// <param name="cursor">The cursor.</param>
    /// <returns>Whether the token was valid.</returns>
    public static bool TryParse(string token, out FlowPageCursor cursor)
    {
        cursor = default;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new FlowPageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
