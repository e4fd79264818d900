using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>The reminder table (Orleans IReminderTable) through our reminder schema and queries.</summary>
public sealed partial class PostgreSqlGrainStorageTests
{
    private IReminderTable Reminders
    {
        get
        {
            Fixture.Require();
            return Fixture.Services.GetRequiredService<IReminderTable>();
        }
    }

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 26, 8, 30, 15, 123, DateTimeKind.Utc),
        Period = period,
    };

    [SkippableFact]
    public async Task ReminderTable_UpsertThenRead_RoundTripsAndVersions()
    {
        var table = Reminders;
        var grain = GrainId.Create("taskflow-flow", "flow-" + Guid.NewGuid().ToString("N"));

        var first = await table.UpsertRow(Entry(grain, "resume", TimeSpan.FromMinutes(1)));
        var second = await table.UpsertRow(Entry(grain, "resume", TimeSpan.FromMinutes(5)));
        await table.UpsertRow(Entry(grain, "purge", TimeSpan.FromDays(40)));

        Assert.NotNull(first);
        Assert.NotEqual(first, second);
        var row = await table.ReadRow(grain, "resume");
        Assert.NotNull(row);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(Entry(grain, "x", default).StartAt, row.StartAt.ToUniversalTime());
        Assert.Equal(second, row.ETag);
        var rows = (await table.ReadRows(grain)).Reminders;
        Assert.Equal(["purge", "resume"], rows.Select(r => r.ReminderName).Order());
        Assert.Equal(TimeSpan.FromDays(40), rows.Single(r => r.ReminderName == "purge").Period);
    }

    [SkippableFact]
    public async Task ReminderTable_ReadRange_FindsRemindersByRingRangeWrappingOrNot()
    {
        var table = Reminders;
        var grain = GrainId.Create("taskflow-flow", "flow-" + Guid.NewGuid().ToString("N"));
        await table.UpsertRow(Entry(grain, "resume", TimeSpan.FromMinutes(1)));
        var hash = grain.GetUniformHashCode();

        static bool Has(ReminderTableData data, GrainId id) => data.Reminders.Any(r => r.GrainId == id);

        Assert.True(Has(await table.ReadRows(hash - 1, hash), grain));          // (h-1, h]: not wrapping, contains h
        Assert.False(Has(await table.ReadRows(hash, hash + 1), grain));         // (h, h+1]: excludes h
        Assert.True(Has(await table.ReadRows(hash + 10, hash), grain));         // wraps around the ring, ends at h
        Assert.False(Has(await table.ReadRows(hash, hash - 10), grain));        // wraps, but starts after h
        Assert.True(Has(await table.ReadRows(0, 0), grain));                    // the whole ring
    }

    [SkippableFact]
    public async Task ReminderTable_RemoveRow_NeedsTheCurrentETag()
    {
        var table = Reminders;
        var grain = GrainId.Create("taskflow-flow", "flow-" + Guid.NewGuid().ToString("N"));
        var stale = await table.UpsertRow(Entry(grain, "resume", TimeSpan.FromMinutes(1)));
        var current = await table.UpsertRow(Entry(grain, "resume", TimeSpan.FromMinutes(2)));

        Assert.False(await table.RemoveRow(grain, "resume", stale!));
        Assert.NotNull(await table.ReadRow(grain, "resume"));
        Assert.True(await table.RemoveRow(grain, "resume", current!));
        Assert.Null(await table.ReadRow(grain, "resume"));
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }
}
