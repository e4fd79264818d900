using Npgsql;
using NpgsqlTypes;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Deleting finished runs in batches on PostgreSQL (retention and bulk purges).</summary>
internal sealed partial class PostgreSqlLogbookStore
{
    private static readonly string DeleteFinishedSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "DeleteFinished");
    private static readonly string CountFinishedSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "CountFinished");

    /// <inheritdoc />
    /// <remarks>One statement per batch (<c>Sql/PostgreSql/Logbook/DeleteFinished.sql</c>): the batch's run rows, state and
    /// finish time re-checked by the DELETE, rows locked by a writer skipped, then their atom rows.</remarks>
    public async Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var states = filter.FinishedStates().Select(s => (short)s).ToArray();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(DeleteFinishedSql, connection);
            AddFinishedParameters(command, filter, states);
            command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
            var runIds = new List<string>();
            DateTimeOffset? oldest = null;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runIds.Add(reader.GetString(0));
                var finished = reader.GetFieldValue<DateTimeOffset>(1);
                oldest = oldest is { } o && o <= finished ? o : finished;
            }

            return new FinishedRunsDeleted(runIds, oldest);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogDeleteFinishedFailed(exception, _database);
            throw new FlowStorageException(
                $"Could not delete a batch of finished runs from {_database}: {Describe(exception)}. Nothing of the batch was " +
                $"deleted. {Fix(exception)}");
        }
    }

    /// <inheritdoc />
    public async Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var states = filter.FinishedStates().Select(s => (short)s).ToArray();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(CountFinishedSql, connection);
            AddFinishedParameters(command, filter, states);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new FinishedRunsTally(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogCountFailed(exception, _database);
            throw new FlowStorageException($"Could not count finished runs in {_database}: {Describe(exception)}. {Fix(exception)}");
        }
    }

    private void AddFinishedParameters(NpgsqlCommand command, FinishedRunsFilter filter, short[] states)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
        command.Parameters.Add(TimeParameter("before", RunIndexSql.RoundUpToMicroseconds(filter.FinishedBefore)));
        command.Parameters.Add(ArrayParameter("states", NpgsqlDbType.Smallint, states));
    }
}
