namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>Stands for Python's <c>RuntimeError</c> in ported TaskFlow scenarios, so failures read "Failure: RuntimeError: Woot!".</summary>
internal sealed class RuntimeError(string message) : Exception(message);

/// <summary>Stands for Python's <c>ValueError</c>.</summary>
internal sealed class ValueError(string message) : Exception(message);
