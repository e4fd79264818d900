using Microsoft.Extensions.Options;
using Npgsql;

namespace TaskFlow.Orleans.Persistence.AdoNet.Options;

/// <summary>Checks <see cref="TaskFlowPostgreSqlOptions"/> and says how to fix each bad value.</summary>
internal sealed class TaskFlowPostgreSqlOptionsValidator : IValidateOptions<TaskFlowPostgreSqlOptions>
{
    internal const string Example = "Host=127.0.0.1;Port=5432;Database=taskflow;Username=taskflow;Password=...";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowPostgreSqlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add($"TaskFlowPostgreSqlOptions.ConnectionString is empty; set it to an Npgsql connection string, e.g. \"{Example}\".");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    problems.Add($"TaskFlowPostgreSqlOptions.ConnectionString names no Host; add one, e.g. \"{Example}\".");
                }
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
            {
                problems.Add($"TaskFlowPostgreSqlOptions.ConnectionString is not a valid Npgsql connection string ({exception.Message}); " +
                             $"write it as Key=Value pairs separated by ';', e.g. \"{Example}\".");
            }
        }

        if (string.IsNullOrWhiteSpace(options.StorageProviderName))
        {
            problems.Add("TaskFlowPostgreSqlOptions.StorageProviderName is empty; leave it at \"taskflow\" or set it to TaskFlowOptions.StorageProviderName.");
        }

        if (options.MaxPoolSize < 1)
        {
            problems.Add($"TaskFlowPostgreSqlOptions.MaxPoolSize is {options.MaxPoolSize}; it must be at least 1 (default {TaskFlowPostgreSqlOptions.DefaultMaxPoolSize}).");
        }

        if (options.StartupRetryTimeout < TimeSpan.Zero)
        {
            problems.Add($"TaskFlowPostgreSqlOptions.StartupRetryTimeout is {options.StartupRetryTimeout}; it must not be negative " +
                         $"(default {TaskFlowPostgreSqlOptions.DefaultStartupRetryTimeout.TotalSeconds} s; zero tries once).");
        }

        if (options.MaxStorageRetries < 0)
        {
            problems.Add($"TaskFlowPostgreSqlOptions.MaxStorageRetries is {options.MaxStorageRetries}; it must not be negative " +
                         $"(default {TaskFlowPostgreSqlOptions.DefaultMaxStorageRetries}; zero disables retries).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
