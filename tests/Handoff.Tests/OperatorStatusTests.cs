namespace BotEngine.Handoff.Tests;

public class OperatorStatusTests
{
    private static readonly DateTimeOffset At = Fixtures.T0;

    [Theory]
    [InlineData(OperatorStatus.Offline, OperatorStatus.Online, true)]
    [InlineData(OperatorStatus.Offline, OperatorStatus.Invisible, true)]
    [InlineData(OperatorStatus.Offline, OperatorStatus.Lunch, false)]
    [InlineData(OperatorStatus.Online, OperatorStatus.Invisible, true)]
    [InlineData(OperatorStatus.Online, OperatorStatus.Lunch, true)]
    [InlineData(OperatorStatus.Online, OperatorStatus.Training, true)]
    [InlineData(OperatorStatus.Online, OperatorStatus.Offline, true)]
    [InlineData(OperatorStatus.Invisible, OperatorStatus.Online, false)]
    [InlineData(OperatorStatus.Invisible, OperatorStatus.Lunch, false)]
    [InlineData(OperatorStatus.Invisible, OperatorStatus.Offline, true)]
    [InlineData(OperatorStatus.Lunch, OperatorStatus.Online, true)]
    [InlineData(OperatorStatus.Training, OperatorStatus.Lunch, true)]
    public void Transitions_are_validated(OperatorStatus from, OperatorStatus to, bool allowed)
    {
        var result = OperatorStatusMachine.Change("op", from, to, [], At);
        Assert.Equal(allowed, result.IsSuccess);
        if (!allowed)
        {
            Assert.Equal(409, result.Error!.HttpStatus);
        }
    }

    [Fact]
    public void Leaving_invisible_hints_offline_first()
    {
        var result = OperatorStatusMachine.Change("op", OperatorStatus.Invisible, OperatorStatus.Online, [], At);
        Assert.Contains("offline first", result.Error!.Message);
    }

    [Theory]
    [InlineData(OperatorStatus.Lunch, true)]
    [InlineData(OperatorStatus.Training, true)]
    [InlineData(OperatorStatus.Offline, true)]
    [InlineData(OperatorStatus.Invisible, false)]
    public void Lunch_training_and_offline_return_dialogs_invisible_keeps_them(OperatorStatus to, bool requeues)
    {
        var t = OperatorStatusMachine.Change("op", OperatorStatus.Online, to, ["d1", "d2"], At).Value;
        Assert.Equal(new StatusChange("op", OperatorStatus.Online, to, At), t.Change);
        Assert.Equal(requeues ? ["d1", "d2"] : [], t.RequeueDialogIds);
        Assert.False(t.CanReceiveDialogs);
    }

    [Fact]
    public void Going_online_is_recorded_and_signals_routing()
    {
        var t = OperatorStatusMachine.Change("op", OperatorStatus.Offline, OperatorStatus.Online, [], At).Value;
        Assert.True(t.CanReceiveDialogs);
        Assert.Equal(At, t.Change.At);
    }

    [Fact]
    public void Same_status_is_a_conflict()
    {
        Assert.Equal("status.unchanged", OperatorStatusMachine.Change("op", OperatorStatus.Online, OperatorStatus.Online, [], At).Error!.Code);
    }

    [Fact]
    public void Supervisor_forces_offline_from_invisible_and_dialogs_requeue()
    {
        var sup = Fixtures.Op("sup", Fixtures.SupervisorRole);
        var t = OperatorStatusMachine.ForceOffline(sup, "op", OperatorStatus.Invisible, ["d1"], At).Value;
        Assert.Equal(OperatorStatus.Offline, t.Change.To);
        Assert.Equal("sup", t.Change.ChangedBy);
        Assert.Equal(["d1"], t.RequeueDialogIds);

        var plain = Fixtures.Op("plain");
        Assert.Equal(403, OperatorStatusMachine.ForceOffline(plain, "op", OperatorStatus.Online, [], At).Error!.HttpStatus);
    }

    [Fact]
    public void Status_names_round_trip()
    {
        foreach (var s in Enum.GetValues<OperatorStatus>())
        {
            Assert.True(OperatorStatusNames.TryParse(s.ToName(), out var parsed));
            Assert.Equal(s, parsed);
        }
    }
}
