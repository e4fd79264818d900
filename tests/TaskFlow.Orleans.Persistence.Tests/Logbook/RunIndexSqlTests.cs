using System.Text.RegularExpressions;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Persistence.AdoNet.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>How the run-index statement is made from <c>Query.sql</c>: only the lines of the filters a query sets.</summary>
public sealed class RunIndexSqlTests
{
    private static readonly (RunIndexFilters Filter, string[] Parameters)[] FilterParameters =
    [
        (RunIndexFilters.State, ["@state"]),
        (RunIndexFilters.States, ["@states"]),
        (RunIndexFilters.Name, ["@name"]),
        (RunIndexFilters.Tag, ["@tag"]),
        (RunIndexFilters.From, ["@created_from"]),
        (RunIndexFilters.Before, ["@created_before"]),
        (RunIndexFilters.Prefix, ["@id_prefix"]),
        (RunIndexFilters.After, ["@after_created_at", "@after_run_id"]),
    ];

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("Sqlite")]
    public void Text_ForEveryCombination_HoldsExactlyTheParametersOfItsFilters(string dialectName)
    {
        var dialect = Enum.Parse<SqlDialect>(dialectName);
        for (var bits = 0; bits < 256; bits++)
        {
            var filters = (RunIndexFilters)bits;
            var text = RunIndexSql.Text(dialect, filters);

            Assert.DoesNotContain("--", text, StringComparison.Ordinal);
            Assert.Contains("@service_id", text, StringComparison.Ordinal);
            Assert.Contains("@limit", text, StringComparison.Ordinal);
            foreach (var (filter, parameters) in FilterParameters)
            {
                foreach (var parameter in parameters)
                {
                    Assert.Equal(filters.HasFlag(filter), Regex.IsMatch(text, parameter + @"\b")); // @state, not @states
                }
            }
        }
    }

    [Fact]
    public void Compose_AMarkerOfNoFilter_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RunIndexSql.Compose("SELECT 1\n AND x = @x -- when nosuch", RunIndexFilters.None));
        Assert.Contains("nosuch", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FiltersOf_OneDistinctStateIsAnEqualityAndMoreAreASet()
    {
        Assert.Equal(RunIndexFilters.None, RunIndexSql.FiltersOf(new RunIndexQuery()));
        Assert.Equal(RunIndexFilters.State, RunIndexSql.FiltersOf(new RunIndexQuery { States = [FlowState.Failure, FlowState.Failure] }));
        Assert.Equal(RunIndexFilters.States, RunIndexSql.FiltersOf(new RunIndexQuery { States = [FlowState.Failure, FlowState.Running] }));
        var all = new RunIndexQuery
        {
            States = [FlowState.Running], Name = "", Tag = "", CreatedFrom = DateTimeOffset.UnixEpoch, CreatedBefore = DateTimeOffset.UnixEpoch,
            IdPrefix = "", After = new FlowPageCursor(DateTimeOffset.UnixEpoch, ""),
        };
        Assert.Equal((RunIndexFilters)255 & ~RunIndexFilters.States, RunIndexSql.FiltersOf(all));
    }

    [Fact]
    public void RoundUpToMicroseconds_KeepsWholeMicrosecondsAndRoundsTheRestUp()
    {
        var whole = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1230);
        Assert.Equal(whole.UtcTicks, RunIndexSql.RoundUpToMicroseconds(whole));
        Assert.Equal(whole.UtcTicks + 10, RunIndexSql.RoundUpToMicroseconds(whole.AddTicks(1)));
        Assert.Equal(whole.UtcTicks + 10, RunIndexSql.RoundUpToMicroseconds(whole.AddTicks(9)));
        Assert.Equal(whole.UtcTicks, RunIndexSql.RoundUpToMicroseconds(whole.AddTicks(-9)));
        Assert.Equal(DateTime.MaxValue.Ticks, RunIndexSql.RoundUpToMicroseconds(DateTimeOffset.MaxValue));

        Assert.Equal((whole.UtcTicks, "run-1"), RunIndexSql.CursorKey(new FlowPageCursor(whole, "run-1")));
        Assert.Equal((whole.UtcTicks + 10, ""), RunIndexSql.CursorKey(new FlowPageCursor(whole.AddTicks(4), "run-1")));
    }
}
