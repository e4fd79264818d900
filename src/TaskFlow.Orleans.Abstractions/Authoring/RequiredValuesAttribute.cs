namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// Marks an <c>IReadOnlyDictionary&lt;string, object?&gt;</c> parameter of Execute or Revert that receives, by name, every
/// value the atom requires that no other parameter takes: TaskFlow's <c>**kwargs</c> with <c>requires=[...]</c>.
/// </summary>
/// <remarks>The names come from the atom's <c>requires:</c> (rebound names keep the required name as the key). A task with
/// only this parameter and <c>requires: ["engine", "doors", "wheels"]</c> gets all three.</remarks>
/// <example>
/// <code>
/// public sealed class VerifyCar : FlowTask
/// {
///     public void Execute(string spec, [RequiredValues] IReadOnlyDictionary&lt;string, object?&gt; parts) { ... }
/// }
/// flow.Add&lt;VerifyCar&gt;(requires: new[] { "engine", "doors", "wheels" });
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class RequiredValuesAttribute : Attribute;
