using TaskFlow.Orleans.Storage;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>The logbook's answer to a record call: the sequence it is now at, and the arguments of the atoms to dispatch.</summary>
/// <param name="Sequence">The record sequence after this call (the engine passes it back with its next call).</param>
/// <param name="Prepared">The arguments of the atoms the engine is about to execute and revert.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.RecordReceipt")]
internal sealed record RecordReceipt([property: Id(0)] long Sequence, [property: Id(1)] PreparedCalls Prepared);
