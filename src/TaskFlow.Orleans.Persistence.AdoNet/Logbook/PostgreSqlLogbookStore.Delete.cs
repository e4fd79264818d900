using Npgsql;
using NpgsqlTypes;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Purging finished runs on PostgreSQL.</summary>
internal sealed partial class PostgreSqlLogbookStore
{
    private static readonly string DeleteSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "Delete");
    private static readonly short[] FinishedStates = [(short)FlowState.Success, (short)FlowState.Failure, (short)FlowState.Reverted];

    /// <inheritdoc />
    /// <remarks>One statement (<c>Sql/PostgreSql/Logbook/Delete.sql</c>): the run row is deleted only if its state is finished
    /// (checked by the DELETE), then its atom rows, in one transaction.</remarks>
    public async Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(DeleteSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
            command.Parameters.Add(new NpgsqlParameter<string>("run_id", NpgsqlDbType.Text) { TypedValue = runId });
            command.Parameters.Add(ArrayParameter("finished", NpgsqlDbType.Smallint, FinishedStates));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) == 1)
            {
                return LogbookDeleteResult.Deleted;
            }

            if (reader.IsDBNull(1))
            {
                return LogbookDeleteResult.NotFound;
            }

            var state = (FlowState)reader.GetInt16(1);
            // Finished, yet not deleted by this statement: a concurrent purge deleted it first.
            return FlowNotFinishedException.IsFinished(state) ? LogbookDeleteResult.NotFound : LogbookDeleteResult.NotFinished(state);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogDeleteFailed(exception, runId, _database);
            throw new FlowStorageException(
                $"Could not purge run '{runId}' from {_database}: {Describe(exception)}. Nothing was deleted. {Fix(exception)}");
        }
    }
}
