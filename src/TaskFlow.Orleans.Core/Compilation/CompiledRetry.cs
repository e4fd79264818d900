using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

/// <summary>The retry controller of a compiled retry atom.</summary>
/// <param name="Definition">The retry as defined.</param>
/// <param name="Controller">Its code: a built-in, or the controller registered under <see cref="RetryDefinition.ControllerName"/>.</param>
/// <param name="ControlledFlow">The name of the pattern the retry controls.</param>
internal sealed record CompiledRetry(RetryDefinition Definition, IRetryController Controller, string ControlledFlow);
