using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Index;

namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Checks <see cref="TaskFlowRetentionOptions"/> when the silo starts and says how to fix each bad value.</summary>
internal sealed class TaskFlowRetentionOptionsValidator : IValidateOptions<TaskFlowRetentionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = TaskFlowRetentionOptions.SectionName;
        var problems = new List<string>();
        if (options.FinishedRunsKeptFor is { } kept && kept < TimeSpan.Zero)
        {
            problems.Add($"{section}:FinishedRunsKeptFor is {kept}; it must be positive (e.g. 30.00:00:00 for 30 days), or empty or " +
                         "00:00:00 to keep finished runs for ever.");
        }

        if (options.Interval < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{section}:Interval is {options.Interval}; it must be at least 00:01:00 (default 01:00:00): the sweep is " +
                         "driven by a reminder, and reminders tick at most once a minute.");
        }

        if (options.BatchSize is < 1 or > PurgeQuery.MaxBatchSize)
        {
            problems.Add($"{section}:BatchSize is {options.BatchSize}; it must be from 1 to {PurgeQuery.MaxBatchSize} " +
                         $"(default {TaskFlowRetentionOptions.DefaultBatchSize}).");
        }

        if (options.PauseBetweenBatches < TimeSpan.Zero)
        {
            problems.Add($"{section}:PauseBetweenBatches is {options.PauseBetweenBatches}; it must not be negative (default 00:00:00.1).");
        }

        if (!(options.DeletingShare is > 0 and <= 1))
        {
            problems.Add($"{section}:DeletingShare is {options.DeletingShare}; it must be more than 0 and at most 1 (default " +
                         $"{TaskFlowRetentionOptions.DefaultDeletingShare}): the share of the sweep's time spent deleting.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
