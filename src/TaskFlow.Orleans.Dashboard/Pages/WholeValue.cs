using Microsoft.AspNetCore.Http;
using TaskFlow.Orleans.Dashboard.Rendering;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>A whole input, result or atom result, as JSON text, for values that pages cut; masked names stay <c>***</c>.</summary>
internal static class WholeValue
{
    public static async Task<IResult> GetAsync(PageContext page, string flowId, string kind, string name)
    {
        var run = await RunView.LoadAsync(page, flowId, withGraph: kind == "atom");
        var snapshot = run.Snapshot;
        (bool Found, object? Value, bool Masked) value = kind switch
        {
            "input" => run.Inputs.TryGetValue(name, out var input) ? (true, input, page.Values.IsMasked(name)) : default,
            "result" => snapshot.Results.TryGetValue(name, out var result) ? (true, result, page.Values.IsMasked(name)) : default,
            "atom" => snapshot.Atoms.FirstOrDefault(a => a.Name == name) is { } atom ? (true, atom.Result, run.IsResultMasked(atom)) : default,
            _ => throw new BadParameterException("kind", $"'{kind}' is not a kind of value; use input, result or atom."),
        };
        if (!value.Found)
        {
            throw new BadParameterException("name", $"Run '{flowId}' has no {kind} named '{name}'.");
        }

        var text = value.Masked ? ValueFormatter.Mask : ValueFormatter.ToJson(value.Value);
        return Results.Text(text, "application/json; charset=utf-8");
    }
}
