using Microsoft.Extensions.Options;

namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Checks <see cref="TaskFlowOptions"/> when the silo starts and says how to fix each bad value.</summary>
public sealed class TaskFlowOptionsValidator : IValidateOptions<TaskFlowOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ExecutorPoolSize < 1)
        {
            problems.Add($"TaskFlowOptions.ExecutorPoolSize is {options.ExecutorPoolSize}; it must be at least 1 (default {TaskFlowOptions.DefaultExecutorPoolSize}).");
        }

        if (options.ProgressWriteDelay <= TimeSpan.Zero)
        {
            problems.Add($"TaskFlowOptions.ProgressWriteDelay is {options.ProgressWriteDelay}; it must be positive (default {TaskFlowOptions.DefaultProgressWriteDelay.TotalMilliseconds} ms).");
        }

        if (options.MaxRunsPerTransaction < 1)
        {
            problems.Add($"TaskFlowOptions.MaxRunsPerTransaction is {options.MaxRunsPerTransaction}; it must be at least 1 (default 512).");
        }

        if (options.MaxConcurrentTransactions < 1)
        {
            problems.Add($"TaskFlowOptions.MaxConcurrentTransactions is {options.MaxConcurrentTransactions}; it must be at least 1 (default 2).");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            problems.Add($"TaskFlowOptions.Durability is {(int)options.Durability}; it must be Strict (the default) or Relaxed.");
        }

        if (options.EventBufferSize < 1)
        {
            problems.Add($"TaskFlowOptions.EventBufferSize is {options.EventBufferSize}; it must be at least 1 (default {TaskFlowOptions.DefaultEventBufferSize}).");
        }

        if (string.IsNullOrWhiteSpace(options.StorageProviderName))
        {
            problems.Add("TaskFlowOptions.StorageProviderName is empty; set it to the name of a grain storage provider the silo registers, " +
                         $"e.g. siloBuilder.AddMemoryGrainStorage(\"{TaskFlowOptions.DefaultStorageProviderName}\").");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
