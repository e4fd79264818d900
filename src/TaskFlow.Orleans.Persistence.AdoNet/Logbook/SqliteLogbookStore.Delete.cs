using Microsoft.Data.Sqlite;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Purging finished runs on SQLite.</summary>
internal sealed partial class SqliteLogbookStore
{
    private static readonly string DeleteRunSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "DeleteRun");
    private static readonly string DeleteAtomsSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "DeleteAtoms");
    private static readonly string SelectRunStateSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "SelectRunState");

    /// <inheritdoc />
    /// <remarks>One <c>BEGIN IMMEDIATE</c> transaction on the write connection, between two batches: the run row is deleted
    /// only if its state is finished (checked by the DELETE), then its atom rows.</remarks>
    public async Task<LogbookDeleteResult> DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var writer = _writer ??= Writer.Open(_writeConnectionString);
                using var transaction = writer.Connection.BeginTransaction(deferred: false);
                var result = Delete(writer.Connection, transaction, runId);
                transaction.Commit();
                return result;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _writer?.Dispose();
                _writer = null;
                LogDeleteFailed(exception, runId, _fullPath);
                throw new FlowStorageException(
                    $"Could not purge run '{runId}' from the SQLite database '{_fullPath}': {Describe(exception)}. Nothing was " +
                    $"deleted. {Fix(exception)}");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private LogbookDeleteResult Delete(SqliteConnection connection, SqliteTransaction transaction, string runId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = DeleteRunSql;
        command.Parameters.AddWithValue("@service_id", _serviceId);
        command.Parameters.AddWithValue("@run_id", runId);
        command.Parameters.AddWithValue("@success", (int)FlowState.Success);
        command.Parameters.AddWithValue("@failure", (int)FlowState.Failure);
        command.Parameters.AddWithValue("@reverted", (int)FlowState.Reverted);
        if (command.ExecuteNonQuery() == 1)
        {
            command.CommandText = DeleteAtomsSql;
            command.ExecuteNonQuery();
            return LogbookDeleteResult.Deleted;
        }

        command.CommandText = SelectRunStateSql;
        return command.ExecuteScalar() is { } state and not DBNull
            ? LogbookDeleteResult.NotFinished((FlowState)Convert.ToInt32(state, System.Globalization.CultureInfo.InvariantCulture))
            : LogbookDeleteResult.NotFound;
    }
}
