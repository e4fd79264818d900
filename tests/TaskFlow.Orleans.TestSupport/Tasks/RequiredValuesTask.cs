using System.Globalization;
using global::Orleans.Runtime;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>
/// TaskFlow's <c>**kwargs</c> task (<c>build_a_car</c>'s <c>verify(spec, **kwargs)</c>): takes <c>spec</c> by name and every other
/// required value in one dictionary; returns "spec: name=value, ..." in name order. Revert journals the same values.
/// </summary>
[TaskName(TaskName)]
public sealed class RequiredValuesTask(IGrainRuntime silo) : JournaledTask(silo)
{
    /// <summary>The registered name.</summary>
    public const string TaskName = "testing.required-values";

    public string Execute(string spec, [RequiredValues] IReadOnlyDictionary<string, object?> parts) =>
        Executed($"{spec}: {Describe(parts)}", [("spec", spec), .. parts.Select(p => (p.Key, p.Value))]);

    public void Revert(string spec, [RequiredValues] IReadOnlyDictionary<string, object?> parts, TaskOutcome<string> outcome,
        IReadOnlyDictionary<string, Failure> flowFailures) =>
        Reverted(outcome, flowFailures, [("spec", spec), .. parts.Select(p => (p.Key, p.Value))]);

    private static string Describe(IReadOnlyDictionary<string, object?> parts) =>
        string.Join(", ", parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
}
