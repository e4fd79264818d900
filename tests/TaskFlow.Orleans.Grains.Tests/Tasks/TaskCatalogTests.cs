using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Tasks;

namespace TaskFlow.Orleans.Grains.Tests.Tasks;

public sealed class TaskCatalogTests
{
    private readonly TaskCatalog _catalog = new();

    [Fact]
    public void AddTask_ParameterWithDefault_IsOptionalOthersRequired()
    {
        var task = _catalog.AddTask<AddTask>();

        Assert.Equal("test.add", task.Name);
        Assert.Equal<string>(["x"], task.Signature.Required);
        Assert.Equal<string>(["y"], task.Signature.Optional);
        Assert.Equal(typeof(int), task.ResultType);
        Assert.False(task.HasRevert);
    }

    [Fact]
    public void AddTask_DefaultProvidesAttribute_IsInSignature()
    {
        var task = _catalog.AddTask<AddTask>();

        Assert.Equal<string>(["sum"], task.Signature.DefaultProvides);
    }

    [Fact]
    public void AddTask_NoDefaultProvides_IsEmpty()
    {
        var task = _catalog.AddTask<AsyncGreetTask>();

        Assert.Empty(task.Signature.DefaultProvides);
    }

    [Fact]
    public void AddTask_WithoutTaskName_UsesTheFullyQualifiedClassName_AndTheClassNameAloneFindsIt()
    {
        var task = _catalog.AddTask<DisposableTask>();

        Assert.Equal(typeof(DisposableTask).FullName, task.Name);
        Assert.True(_catalog.TryGetTask(nameof(DisposableTask), out var found));
        Assert.Same(task, found);
    }

    [Fact]
    public void AddTask_TwoClassesOfOneName_BothRegister_TheClassNameAloneIsAmbiguous()
    {
        var home = _catalog.AddTask<Testing.Examples.SameName.Home.CallJim>();
        var work = _catalog.AddTask<Testing.Examples.SameName.Work.CallJim>();

        Assert.Equal("TaskFlow.Orleans.Testing.Examples.SameName.Home.CallJim", home.Name);
        Assert.Equal("TaskFlow.Orleans.Testing.Examples.SameName.Work.CallJim", work.Name);
        Assert.False(_catalog.TryGetTask("CallJim", out _));
        Assert.Equal([home.Name, work.Name], _catalog.FullNamesOf("CallJim"));
    }

    [Fact]
    public void AddTask_CancellationTokenParameter_IsNotARequirement()
    {
        var task = _catalog.AddTask<AsyncGreetTask>();

        Assert.Equal<string>(["name"], task.Signature.Required);
        Assert.Empty(task.Signature.Optional);
        Assert.Equal(typeof(string), task.ResultType);
    }

    [Fact]
    public void AddTask_RevertParameters_AreRequirementsButSpecialOnesAreNot()
    {
        var task = _catalog.AddTask<LeaseTask>();

        // network from both, reason only from revert; outcome, flowFailures and tokens are special.
        Assert.Equal<string>(["network", "reason"], task.Signature.Required);
        Assert.Equal<string>(["attempts"], task.Signature.Optional);
        Assert.True(task.HasRevert);
    }

    [Fact]
    public void AddTask_OptionalInExecuteRequiredInRevert_IsRequired()
    {
        var task = _catalog.AddTask<OptionalThenRequiredTask>();

        Assert.Equal<string>(["size", "zone"], task.Signature.Required);
        Assert.Empty(task.Signature.Optional);
    }

    [Fact]
    public void AddTask_TaskReturningNothing_HasVoidResultType()
    {
        Assert.Equal(typeof(void), _catalog.AddTask<VoidTask>().ResultType);
        Assert.Equal(typeof(void), _catalog.AddTask<PlainTaskTask>().ResultType);
    }

    [Fact]
    public void AddTask_SameClassTwice_ReturnsTheSameDescriptor()
    {
        var first = _catalog.AddTask<AddTask>();
        var second = _catalog.AddTask<AddTask>();

        Assert.Same(first, second);
        Assert.Equal(1, _catalog.Count);
    }

    [Fact]
    public void AddTask_Delegate_InfersRequirementsFromLambdaParameters()
    {
        var task = _catalog.AddTask("inc", (int x, int step = 1, CancellationToken cancellationToken = default) => x + step, provides: "next");

        Assert.Equal<string>(["x"], task.Signature.Required);
        Assert.Equal<string>(["step"], task.Signature.Optional);
        Assert.Equal<string>(["next"], task.Signature.DefaultProvides);
        Assert.Null(task.TaskType);
        Assert.Equal(typeof(int), task.ResultType);
    }

    [Fact]
    public void AddTask_DelegateWithRevert_UnionsRequirements()
    {
        var task = _catalog.AddTask(
            "reserve",
            (string pool) => $"{pool}-1",
            (string pool, string reason, TaskOutcome<string> outcome, IReadOnlyDictionary<string, Failure> failures) => { });

        Assert.Equal<string>(["pool", "reason"], task.Signature.Required);
        Assert.True(task.HasRevert);
    }

    [Fact]
    public void AddTask_DelegateWithoutProvides_HasNoDefaultProvides()
    {
        var task = _catalog.AddTask("noop", () => { });

        Assert.Empty(task.Signature.DefaultProvides);
        Assert.Empty(task.Signature.Required);
    }

    [Fact]
    public void TryGetSignature_RegisteredName_ReturnsSignature()
    {
        _catalog.AddTask<AddTask>();

        Assert.True(_catalog.TryGetSignature("test.add", out var signature));
        Assert.Equal("test.add", signature.Name);
        Assert.False(_catalog.TryGetSignature("test.missing", out _));
    }

    [Fact]
    public void TaskNames_SeveralTasks_AreSorted()
    {
        _catalog.AddTask("b", () => 1);
        _catalog.AddTask("a", () => 1);

        Assert.Equal(["a", "b"], _catalog.TaskNames);
    }

    [Fact]
    public void GetTask_UnknownName_ThrowsTaskNotRegisteredListingRegisteredNames()
    {
        _catalog.AddTask("known", () => 1);

        var error = Assert.Throws<TaskNotRegisteredException>(() => _catalog.GetTask("unknown"));

        Assert.Equal("unknown", error.Name);
        Assert.Contains("'unknown'", error.Message);
        Assert.Contains("known", error.Message);
        Assert.Contains("AddTask", error.Message);
    }

    [Fact]
    public void AddTask_RequiredValuesOfAnotherType_ThrowsNamingTheParameterAndTheType()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<RequiredValuesWrongTypeTask>());

        Assert.Contains("parameter 'values' of Execute is marked [RequiredValues]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Declare it as IReadOnlyDictionary<string, object?>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTask_TwoRequiredValuesParameters_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<RequiredValuesTwiceTask>());

        Assert.Contains("two [RequiredValues] parameters ('a' and 'b')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTask_RequiredValues_IsNotARequirementOfItsOwn()
    {
        var task = _catalog.AddTask<Testing.Tasks.RequiredValuesTask>();

        Assert.Equal<string>(["spec"], task.Signature.Required);
        Assert.Empty(task.Signature.Optional);
    }

    [Fact]
    public void AddTask_NoExecuteMethod_ThrowsNamingClassAndFix()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<NoExecuteTask>());

        Assert.Contains(typeof(NoExecuteTask).FullName!, error.Message);
        Assert.Contains("ExecuteAsync or Execute", error.Message);
    }

    [Fact]
    public void AddTask_OverloadedExecute_ThrowsSuggestingDefaults()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<OverloadedTask>());

        Assert.Contains(typeof(OverloadedTask).FullName!, error.Message);
        Assert.Contains("Keep exactly one", error.Message);
        Assert.Contains("default values", error.Message);
    }

    [Fact]
    public void AddTask_ExecuteAndExecuteAsync_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<BothNamesTask>());

        Assert.Contains("2 ExecuteAsync/Execute methods", error.Message);
    }

    [Fact]
    public void AddTask_TwoRevertMethods_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<TwoRevertsTask>());

        Assert.Contains("RevertAsync/Revert", error.Message);
    }

    [Theory]
    [InlineData(typeof(RefParameterTask), "'x'")]
    [InlineData(typeof(OutParameterTask), "'y'")]
    public void AddTask_ByRefParameter_ThrowsNamingParameter(Type taskType, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask(taskType));

        Assert.Contains(taskType.FullName!, error.Message);
        Assert.Contains(parameter, error.Message);
        Assert.Contains("by reference", error.Message);
    }

    [Fact]
    public void AddTask_RevertOutcomeTypeMismatch_ThrowsWithCorrectType()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<MismatchedOutcomeTask>());

        Assert.Contains(typeof(MismatchedOutcomeTask).FullName!, error.Message);
        Assert.Contains("TaskOutcome<string>", error.Message);
        Assert.Contains("Change it to TaskOutcome<int>", error.Message);
    }

    [Fact]
    public void AddTask_OutcomeInExecute_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<OutcomeInExecuteTask>());

        Assert.Contains("only Revert receives the execute outcome", error.Message);
    }

    [Fact]
    public void AddTask_AbstractClass_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<AbstractTask>());

        Assert.Contains("abstract", error.Message);
    }

    [Fact]
    public void AddTask_TypeNotDerivedFromFlowTask_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask(typeof(string)));

        Assert.Contains("does not derive from FlowTask", error.Message);
    }

    [Fact]
    public void AddTask_AsyncVoidExecute_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<AsyncVoidTask>());

        Assert.Contains("async void", error.Message);
    }

    [Fact]
    public void AddTask_TwoClassesWithSameName_ThrowsNamingBoth()
    {
        _catalog.AddTask<AddTask>();

        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask<ImpostorAddTask>());

        Assert.Contains("'test.add'", error.Message);
        Assert.Contains(typeof(AddTask).FullName!, error.Message);
        Assert.Contains(typeof(ImpostorAddTask).FullName!, error.Message);
        Assert.Contains("[TaskName", error.Message);
    }

    [Fact]
    public void AddTask_DelegateWithTakenName_Throws()
    {
        _catalog.AddTask("dup", () => 1);

        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask("dup", () => 2));

        Assert.Contains("'dup'", error.Message);
        Assert.Equal(1, _catalog.Count);
    }

    [Fact]
    public void AddTask_DelegateWithEmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => _catalog.AddTask(" ", () => 1));
    }

    [Fact]
    public void AddTask_DelegateRevertWithMismatchedOutcome_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _catalog.AddTask("typed", (int x) => x, (TaskOutcome<long> outcome) => { }));

        Assert.Contains("Delegate task 'typed'", error.Message);
        Assert.Contains("TaskOutcome<int>", error.Message);
    }

    [Fact]
    public void AddTask_DelegateRevertOfVoidExecuteWithObjectOutcome_IsAccepted()
    {
        var task = _catalog.AddTask("void", () => { }, (TaskOutcome<object> outcome) => { });

        Assert.True(task.HasRevert);
    }

    [Fact]
    public void AddTask_FlowFailuresInExecute_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _catalog.AddTask("failures", (IReadOnlyDictionary<string, Failure> failures) => failures.Count));

        Assert.Contains("only Revert receives them", error.Message);
    }

    [Fact]
    public void AddTask_MulticastDelegate_Throws()
    {
        Action<int> first = x => { };
        Action<int> second = x => { };

        var error = Assert.Throws<ArgumentException>(() => _catalog.AddTask("multi", first + second));

        Assert.Contains("multicast", error.Message);
    }

    [Fact]
    public void AddTask_ExtensionMethodGroup_BindsRemainingParameters()
    {
        var task = _catalog.AddTask("suffix", "base".WithSuffix);

        Assert.Equal<string>(["suffix"], task.Signature.Required);
    }
}
