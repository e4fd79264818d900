using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.WrappedException;

// taskflow/examples/wrapped_exception.py: two tasks in parallel that may both fail; the caller gets every failure at once
// (TaskFlow's WrappedFailure; here FlowFailedException.Failures, by atom) and handles them by exception type
// (Failure.Check), re-raising the one it does not know. The sleeps are 0.1 s rather than 1 s.

/// <summary>What the first task raises.</summary>
public sealed class FirstException(string message) : Exception(message);

/// <summary>What the second task raises.</summary>
public sealed class SecondException(string message) : Exception(message);

/// <summary>Python's TypeError, for a value of the wrong type.</summary>
public sealed class TypeError(string message) : Exception(message);

/// <summary>Sleeps, then raises if told to.</summary>
public sealed class FirstTask : FlowTask
{
    public async Task Execute(double sleep1, object raise1, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(sleep1), cancellationToken);
        if (raise1 is not bool raise)
        {
            throw new TypeError($"Bad raise1 value: {Py.Repr(raise1)}");
        }

        if (raise)
        {
            throw new FirstException("First task failed");
        }
    }
}

/// <summary>Sleeps, then raises if told to.</summary>
public sealed class SecondTask : FlowTask
{
    public async Task Execute(double sleep2, object raise2, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(sleep2), cancellationToken);
        if (raise2 is not bool raise)
        {
            throw new TypeError($"Bad raise2 value: {Py.Repr(raise2)}");
        }

        if (raise)
        {
            throw new SecondException("Second task failed");
        }
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "wrapped_exception";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<FirstTask>().AddTask<SecondTask>();

    private static async Task RunFlowAsync(ExampleHost host, FlowInputs store)
    {
        var flow = Flow.Unordered("flow").Add<FirstTask>().Add<SecondTask>().Build();
        try
        {
            await host.Client.RunAsync(flow, store);
        }
        catch (FlowFailedException ex)
        {
            var unknownFailures = new List<Failure>();
            // In the flow's order, so the output does not depend on which task failed first.
            foreach (var aFailure in ex.Failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value))
            {
                if (aFailure.Check(nameof(FirstException)) is not null)
                {
                    host.Console.WriteLine($"Got FirstException: {aFailure.Message}");
                }
                else if (aFailure.Check(nameof(SecondException)) is not null)
                {
                    host.Console.WriteLine($"Got SecondException: {aFailure.Message}");
                }
                else
                {
                    host.Console.WriteLine($"Unknown failure: {aFailure}");
                    unknownFailures.Add(aFailure);
                }
            }

            // TaskFlow's Failure.reraise_if_any: a failure is data here (it may come from another machine), so the example
            // raises its own exception of the same type.
            if (unknownFailures.FirstOrDefault(f => f.Check(nameof(TypeError)) is not null) is { } typeError)
            {
                throw new TypeError(typeError.Message);
            }
        }
    }

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        Py.PrintWrapped(console, "Raise and catch first exception only");
        await RunFlowAsync(host, new FlowInputs { ["sleep1"] = 0.0, ["raise1"] = true, ["sleep2"] = 0.0, ["raise2"] = false });

        Py.PrintWrapped(console, "Raise and catch both exceptions");
        await RunFlowAsync(host, new FlowInputs { ["sleep1"] = 0.1, ["raise1"] = true, ["sleep2"] = 0.1, ["raise2"] = true });

        Py.PrintWrapped(console, "Handle one exception, and re-raise another");
        try
        {
            await RunFlowAsync(host, new FlowInputs { ["sleep1"] = 0.1, ["raise1"] = true, ["sleep2"] = 0.1, ["raise2"] = "boom" });
            throw new InvalidOperationException("TypeError expected");
        }
        catch (TypeError ex)
        {
            console.WriteLine($"As expected, TypeError is here: {ex.Message}");
        }
    }
}
