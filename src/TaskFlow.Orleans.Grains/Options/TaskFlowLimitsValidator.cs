using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Limits;

namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Checks <see cref="TaskFlowLimits"/> when the silo starts and says how to fix each bad value.</summary>
internal sealed class TaskFlowLimitsValidator : IValidateOptions<TaskFlowLimits>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = TaskFlowLimits.SectionName;
        var problems = new List<string>();
        if (options.MaxFlowIdLength is < 1 or > TaskFlowLimits.MaxFlowIdLengthCeiling)
        {
            problems.Add($"{section}:MaxFlowIdLength is {options.MaxFlowIdLength}; it must be from 1 to {TaskFlowLimits.MaxFlowIdLengthCeiling} " +
                         $"(default {TaskFlowLimits.DefaultMaxFlowIdLength}): ids are keys of database indexes, which cap their entries' size.");
        }

        if (options.MaxValueBytes < 1024)
        {
            problems.Add($"{section}:MaxValueBytes is {options.MaxValueBytes}; it must be at least 1024 (default {TaskFlowLimits.DefaultMaxValueBytes}).");
        }

        if (options.MaxRunPayloadBytes < options.MaxValueBytes)
        {
            problems.Add($"{section}:MaxRunPayloadBytes is {options.MaxRunPayloadBytes}; it must be at least MaxValueBytes ({options.MaxValueBytes}) " +
                         $"(default {TaskFlowLimits.DefaultMaxRunPayloadBytes}).");
        }

        if (options.MaxMessageBytes <= options.MaxRunPayloadBytes)
        {
            problems.Add($"{section}:MaxMessageBytes is {options.MaxMessageBytes}; it must be greater than MaxRunPayloadBytes ({options.MaxRunPayloadBytes}), " +
                         $"since a run's snapshot carries its whole payload in one message (default {TaskFlowLimits.DefaultMaxMessageBytes}).");
        }

        if (options.MaxAtomsPerFlow < 1)
        {
            problems.Add($"{section}:MaxAtomsPerFlow is {options.MaxAtomsPerFlow}; it must be at least 1 (default {TaskFlowLimits.DefaultMaxAtomsPerFlow}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
