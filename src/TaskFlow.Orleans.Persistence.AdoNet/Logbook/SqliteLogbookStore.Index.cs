using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>The run index on SQLite: queries of the run rows' index columns (never payloads).</summary>
internal sealed partial class SqliteLogbookStore
{
    /// <inheritdoc />
    /// <remarks>One statement (<c>Sql/Sqlite/Logbook/Query.sql</c>, with the lines of the filters the query sets) on a read
    /// connection: the total and the page come from one snapshot.</remarks>
    public Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var filters = RunIndexSql.FiltersOf(query);
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = RunIndexSql.Text(SqlDialect.Sqlite, filters);
            AddQueryParameters(command, query, filters);
            var entries = new List<RunIndexEntry>();
            long total = 0;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                total = reader.GetInt64(0);
                if (reader.IsDBNull(1))
                {
                    continue; // the empty page's one row: the total only
                }

                entries.Add(new RunIndexEntry(reader.GetString(1), ReadRunRow(reader, payload: [])));
            }

            return Task.FromResult(new RunIndexResult(entries, total));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueryFailed(exception, _fullPath);
            throw new FlowStorageException(
                $"Could not list runs from the run index in the SQLite database '{_fullPath}': {Describe(exception)}. {Fix(exception)}");
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Statements.CountByState;
            command.Parameters.AddWithValue("@service_id", _serviceId);
            var counts = new Dictionary<FlowState, long>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[(FlowState)reader.GetInt32(0)] = reader.GetInt64(1);
            }

            return Task.FromResult<IReadOnlyDictionary<FlowState, long>>(counts);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCountFailed(exception, _fullPath);
            throw new FlowStorageException(
                $"Could not count runs by state in the SQLite database '{_fullPath}': {Describe(exception)}. {Fix(exception)}");
        }
    }

    /// <summary>The parameters of the filters the query sets (the statement holds only their lines).</summary>
    private void AddQueryParameters(SqliteCommand command, RunIndexQuery query, RunIndexFilters filters)
    {
        var p = command.Parameters;
        p.AddWithValue("@service_id", _serviceId);
        p.AddWithValue("@limit", Math.Max(0, query.Limit));
        if (filters.HasFlag(RunIndexFilters.State))
        {
            p.AddWithValue("@state", (int)query.States[0]);
        }

        if (filters.HasFlag(RunIndexFilters.States))
        {
            // A JSON array of the state numbers, e.g. [1,3], read by json_each: built from enum values, never from text.
            p.AddWithValue("@states", "[" + string.Join(',', query.States.Distinct().Select(s => ((int)s).ToString(CultureInfo.InvariantCulture))) + "]");
        }

        if (query.Name is { } name)
        {
            p.AddWithValue("@name", name);
        }

        if (query.Tag is { } tag)
        {
            p.AddWithValue("@tag", tag);
        }

        if (query.CreatedFrom is { } from)
        {
            p.AddWithValue("@created_from", Microseconds(RunIndexSql.RoundUpToMicroseconds(from)));
        }

        if (query.CreatedBefore is { } before)
        {
            p.AddWithValue("@created_before", Microseconds(RunIndexSql.RoundUpToMicroseconds(before)));
        }

        if (query.IdPrefix is { } prefix)
        {
            p.AddWithValue("@id_prefix", prefix);
        }

        if (query.After is { } after)
        {
            var (ticks, runId) = RunIndexSql.CursorKey(after);
            p.AddWithValue("@after_created_at", Microseconds(ticks));
            p.AddWithValue("@after_run_id", runId);
        }

        static long Microseconds(long utcTicks) => LogbookColumns.ToUnixMicroseconds(new DateTimeOffset(utcTicks, TimeSpan.Zero));
    }
}
