using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Flows;
using TaskFlow.Orleans.Grains.Tests.Logbook;

namespace TaskFlow.Orleans.Grains.Tests.Flows;

public sealed class CompiledFlowCacheTests
{
    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static FlowDefinition Chain(string lastTask = "noop") =>
        Flow.Linear("chain").Add("source", name: "a").Add("sink", name: "b").Add(lastTask, name: "c").Build();

    [Fact]
    public void GetOrCompile_TheSameDefinitionAgain_SharesOneCompiledFlow()
    {
        var cache = new CompiledFlowCache(Serializer);
        var catalog = LogbookTestKit.Catalog();

        // Two definitions built apart, equal in content: what a factory or a client sends each time.
        var first = cache.GetOrCompile(Chain(), catalog, ["start"], 3);
        var second = cache.GetOrCompile(Chain(), catalog, ["start"], 3);

        Assert.Same(first, second);
        Assert.Equal(["a", "b", "c"], first.Atoms.Select(a => a.Name));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrCompile_OtherContentOrOtherInputNames_CompilesAgain()
    {
        var cache = new CompiledFlowCache(Serializer);
        var catalog = LogbookTestKit.Catalog();

        var chain = cache.GetOrCompile(Chain(), catalog, ["start"], 3);
        var otherTask = cache.GetOrCompile(Chain(lastTask: "sink"), catalog, ["start"], 3);
        var otherInputs = cache.GetOrCompile(Chain(), catalog, ["start", "x"], 3);

        Assert.NotSame(chain, otherTask);
        Assert.NotSame(chain, otherInputs);
        Assert.Equal("sink", otherTask.Atoms[2].TaskName);
        Assert.Contains("x", otherInputs.Atoms[1].Arguments.Select(b => b.Key)); // b reads x: from the input now, still named x
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void GetOrCompile_AFlowOverTheCachedSize_IsCompiledEachTimeAndNotKept()
    {
        var cache = new CompiledFlowCache(Serializer);
        var catalog = LogbookTestKit.Catalog();

        var first = cache.GetOrCompile(Chain(), catalog, ["start"], CompiledFlowCache.MaxCachedAtoms + 1);
        var second = cache.GetOrCompile(Chain(), catalog, ["start"], CompiledFlowCache.MaxCachedAtoms + 1);

        Assert.NotSame(first, second);
        Assert.Equal(first.Atoms.Select(a => a.Name), second.Atoms.Select(a => a.Name));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void GetOrCompile_AnInvalidDefinition_IsRefusedEveryTimeAndNotKept()
    {
        var cache = new CompiledFlowCache(Serializer);
        var catalog = LogbookTestKit.Catalog();
        var invalid = Flow.Linear("bad").Add("no-such-task", name: "a").Build();

        var first = Assert.Throws<FlowCompilationException>(() => cache.GetOrCompile(invalid, catalog, [], 1));
        var second = Assert.Throws<FlowCompilationException>(() => cache.GetOrCompile(invalid, catalog, [], 1));

        Assert.Contains(first.Problems, p => p.Code == "unknown-task");
        Assert.Contains(second.Problems, p => p.Code == "unknown-task");
        Assert.Equal(0, cache.Count);
    }
}
