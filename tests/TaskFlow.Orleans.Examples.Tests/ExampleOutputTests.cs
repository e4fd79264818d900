namespace TaskFlow.Orleans.Examples.Tests;

/// <summary>
/// Each of TaskFlow's examples, run here, prints what the original prints. Expected/NAME.taskflow.txt is the original's
/// <c>.out.txt</c> copied verbatim from openstack/taskflow; where this port must differ (task names: TaskFlow names a function
/// task <c>__main__.call_jim</c>, a C# task class is named by its full name), the test says exactly what it maps.
/// Expected/NAME.txt is the output of an example TaskFlow ships without an <c>.out.txt</c>, as TaskFlow prints it (worked
/// out from the original's code), or, where the engines differ, this port's output (samples/README.md says why).
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class ExampleOutputTests(ExampleHostFixture fixture)
{
    private static string Expected(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", file)).ReplaceLineEndings("\n");

    [Fact]
    [Trait("TaskFlow", "examples/simple_linear_pass.py")]
    public async Task SimpleLinearPass_PrintsWhatTaskFlowPrints() =>
        Assert.Equal(Expected("simple_linear_pass.taskflow.txt"), await fixture.RunAsync("simple_linear_pass"));

    [Fact]
    [Trait("TaskFlow", "examples/simple_linear_listening.py")]
    public async Task SimpleLinearListening_PrintsWhatTaskFlowPrints_WithClassTaskNames()
    {
        var expected = Expected("simple_linear_listening.taskflow.txt")
            .Replace("__main__.call_jim", "TaskFlow.Orleans.Examples.SimpleLinearListening.CallJim", StringComparison.Ordinal)
            .Replace("__main__.call_joe", "TaskFlow.Orleans.Examples.SimpleLinearListening.CallJoe", StringComparison.Ordinal);

        Assert.Equal(expected, await fixture.RunAsync("simple_linear_listening"));
    }

    [Fact]
    [Trait("TaskFlow", "examples/pseudo_scoping.py")]
    public async Task PseudoScoping_PrintsWhatTaskFlowPrints() =>
        Assert.Equal(Expected("pseudo_scoping.taskflow.txt"), await fixture.RunAsync("pseudo_scoping"));

    [Fact]
    [Trait("TaskFlow", "examples/wbe_mandelbrot.py")]
    public async Task WbeMandelbrot_PrintsWhatTaskFlowPrints() =>
        Assert.Equal(Expected("wbe_mandelbrot.taskflow.txt"), await fixture.RunAsync("wbe_mandelbrot"));

    [Fact]
    [Trait("TaskFlow", "examples/distance_calculator.py")]
    public async Task DistanceCalculator_PrintsWhatTaskFlowPrints() =>
        Assert.Equal(Expected("distance_calculator.txt"), await fixture.RunAsync("distance_calculator"));

    [Fact]
    [Trait("TaskFlow", "examples/build_a_car.py")]
    public async Task BuildACar_BuildsOneCar_ThenRevertsTheWrongOne()
    {
        var output = await fixture.RunAsync("build_a_car");

        Assert.Equal(Expected("build_a_car.txt"), output);
        // What the original shows: the first car passes verify, the second fails it and startup's revert throws it away.
        Assert.Contains("Task TaskFlow.Orleans.Examples.BuildACar.Verify => FAILURE\n", output, StringComparison.Ordinal);
        Assert.Contains("Throwing away pieces of car!\n", output, StringComparison.Ordinal);
        Assert.EndsWith("Flow failed: Car doesn't match spec!\n------------------------------------\n", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("TaskFlow", "examples/run_by_iter_enumerate.py")]
    public async Task RunByIterEnumerate_StreamsNumberedStates_AndTheTasksRunInOrderBetweenThem()
    {
        var output = await fixture.RunAsync("run_by_iter_enumerate");

        Assert.Equal(Expected("run_by_iter_enumerate.txt"), output);
        // Against TaskFlow's .out.txt: the same ten echo lines in the same order, each between numbered transitions, and
        // the last transition is SUCCESS; the states between are this engine's (atom states), not TaskFlow's machine states.
        var original = Expected("run_by_iter_enumerate.taskflow.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(original.Where(l => l.StartsWith("echo_", StringComparison.Ordinal)), lines.Where(l => l.StartsWith("echo_", StringComparison.Ordinal)));
        Assert.EndsWith("SUCCESS", original[^1], StringComparison.Ordinal);
        Assert.EndsWith("SUCCESS", lines[^1], StringComparison.Ordinal);
        var numbers = lines.Where(l => l.StartsWith("Transition ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ', ':')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, numbers.Count()), numbers);
    }
}

/// <summary>The examples whose output has timings or a random order: what TaskFlow's output shows, checked line by line.</summary>
[Collection(ExamplesCollection.Name)]
public sealed class ExampleOutputShapeTests(ExampleHostFixture fixture)
{
    private static string Expected(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", file)).ReplaceLineEndings("\n");

    [Theory]
    [Trait("TaskFlow", "examples/simple_map_reduce.py, wrapped_exception.py, delayed_return.py")]
    [InlineData("simple_map_reduce")]
    [InlineData("wrapped_exception")]
    [InlineData("delayed_return")]
    public async Task Example_PrintsWhatTheOriginalPrints(string name) =>
        Assert.Equal(Expected(name + ".txt"), await fixture.RunAsync(name));

    [Fact]
    [Trait("TaskFlow", "examples/timing_listener.py")]
    public async Task TimingListener_PrintsEachStartAndHowLongEachTook_FlowLast()
    {
        var output = await fixture.RunAsync("timing_listener");

        var normalised = System.Text.RegularExpressions.Regex.Replace(output, @"\d+\.\d\d seconds", "N seconds");
        Assert.Equal(
            "'root' flow started.\n" +
            "'a' task started.\nIt took task 'a' N seconds to finish.\n" +
            "'b' task started.\nIt took task 'b' N seconds to finish.\n" +
            "'c' task started.\nIt took task 'c' N seconds to finish.\n" +
            "It took flow 'root' N seconds to finish.\n",
            normalised);
    }

    [Fact]
    [Trait("TaskFlow", "examples/create_parallel_volume.py")]
    public async Task CreateParallelVolume_MakesFiveVolumesAtOnce_EachStartedBeforeItFinishes()
    {
        var lines = (await fixture.RunAsync("create_parallel_volume")).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

        Assert.StartsWith("has moved flow 'volume-maker' (", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(") into state 'RUNNING' from state 'PENDING'", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^ -- Volume-Maker took \d+\.\d{3} seconds$", lines[^1]);
        Assert.EndsWith("into state 'SUCCESS' from state 'RUNNING'", lines[^2], StringComparison.Ordinal);
        // All five are dispatched at once (an unordered flow), so all five are RUNNING before the first is being made; each
        // volume is made, finished and recorded in that order.
        var firstMaking = lines.FindIndex(l => l.StartsWith("Making volume", StringComparison.Ordinal));
        for (var i = 0; i < 5; i++)
        {
            var running = lines.IndexOf($"has moved task 'VolumeCreator-vol-{i}' into state 'RUNNING' from state 'PENDING'");
            var making = lines.IndexOf($"Making volume vol-{i}");
            var finished = lines.IndexOf($"Finished making volume vol-{i}");
            var success = lines.IndexOf($"has moved task 'VolumeCreator-vol-{i}' into state 'SUCCESS' from state 'RUNNING'");
            Assert.True(running >= 0 && running < firstMaking && making < finished && finished < success,
                $"vol-{i}: RUNNING {running}, making {making}, finished {finished}, SUCCESS {success}:\n{string.Join("\n", lines)}");
        }
    }

    [Fact]
    [Trait("TaskFlow", "examples/wbe_event_sender.py")]
    public async Task WbeEventSender_TheTasksEventsReachTheReceiverInOrder_WithTheirDetails()
    {
        var lines = (await fixture.RunAsync("wbe_event_sender")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["Running 1 workers.", "Executing some work."], lines[..2]);
        Assert.Equal(["Execution finished.", "Stopping workers."], lines[^2..]);
        var events = lines[2..^2];
        Assert.True(events.Length >= 2 && events.Length % 2 == 0, string.Join("\n", lines));
        var letters = new List<char>();
        for (var i = 0; i < events.Length; i += 2)
        {
            var match = System.Text.RegularExpressions.Regex.Match(events[i], "^Recieved event '([A-Z])'$");
            Assert.True(match.Success, events[i]);
            var letter = match.Groups[1].Value[0];
            letters.Add(letter);
            var leftover = string.Join(", ", Enumerable.Range(letter, 'Z' - letter + 1).Select(c => $"'{(char)c}'"));
            Assert.Equal($"Details = {{'leftover': ({leftover})}}", events[i + 1]);
        }

        // In order; a report overtaken by a newer one may be dropped, so some letters may be missing, never repeated.
        Assert.Equal(letters.Order(), letters);
        Assert.Equal(letters.Distinct().Count(), letters.Count);
    }
}
