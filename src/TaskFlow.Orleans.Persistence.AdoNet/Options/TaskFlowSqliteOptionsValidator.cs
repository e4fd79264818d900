using Microsoft.Extensions.Options;

namespace TaskFlow.Orleans.Persistence.AdoNet.Options;

/// <summary>Checks <see cref="TaskFlowSqliteOptions"/> and says how to fix each bad value.</summary>
internal sealed class TaskFlowSqliteOptionsValidator : IValidateOptions<TaskFlowSqliteOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowSqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var path = options.DatabasePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add("TaskFlowSqliteOptions.DatabasePath is empty; set it to the path of the database file, e.g. \"data/taskflow.db\".");
        }
        else if (path.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase) || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("TaskFlowSqliteOptions.DatabasePath names an in-memory database, which loses every flow when the silo stops; " +
                         "give a file path, or use AddTaskFlowMemoryStorage() for storage that need not survive.");
        }
        else if (path.Contains("Data Source=", StringComparison.OrdinalIgnoreCase) || path.Contains("DataSource=", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"TaskFlowSqliteOptions.DatabasePath is \"{path}\", a connection string; give only the file path, e.g. \"data/taskflow.db\".");
        }
        else if (path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"TaskFlowSqliteOptions.DatabasePath \"{path}\" contains characters that are not valid in a path.");
        }

        if (string.IsNullOrWhiteSpace(options.StorageProviderName))
        {
            problems.Add("TaskFlowSqliteOptions.StorageProviderName is empty; leave it at \"taskflow\" or set it to TaskFlowOptions.StorageProviderName.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
