using System.Text.Json;

namespace BotEngine.Handoff.Tests;

/// <summary>The host stores these as JSON columns; they must round-trip with default options.</summary>
public class SerializationTests
{
    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    [Fact]
    public void Requirements_profile_dialog_and_settings_round_trip()
    {
        var r = RoutingRequirements.Create("msk", "ru", "vip", ["cards"], 2) with
        {
            PreferredOperators = ["a", "b"],
            AvoidOperators = new HashSet<string> { "c" },
            Overflow = new OverflowRule(TimeSpan.FromMinutes(3), "l1"),
        };
        var back = RoundTrip(r);
        Assert.Equal(r.Skills, back.Skills);
        Assert.Equal(r.PreferredOperators, back.PreferredOperators);
        Assert.Equal(r.AvoidOperators, back.AvoidOperators);
        Assert.Equal(r.Overflow, back.Overflow);
        Assert.True(back.Matches(RoutingProfile.Create(skills: ["cards", "x"])) == r.Matches(RoutingProfile.Create(skills: ["cards", "x"])));

        var p = RoundTrip(RoutingProfile.Create(["msk"], ["ru"], ["l1"], ["cards"], 5));
        Assert.Equal(5, p.MaxConcurrentDialogs);
        Assert.Contains("cards", p.Skills);
        Assert.Equal(["msk"], p.CallCentres);
        Assert.Equal(["l1"], p.Lines);

        var d = Dialog.StartWithBot("d", "c", Fixtures.T0) with { Requirements = r, PendingNote = new TransferNote("a", "note", Fixtures.T0) };
        var dBack = RoundTrip(d);
        Assert.Equal(d.PendingNote, dBack.PendingNote);
        Assert.Equal(r.Overflow, dBack.Requirements.Overflow);

        var s = RoundTrip(new TimerSettings { HoldPatterns = ["Минуту"], HoldOperatorTimeout = TimeSpan.FromMinutes(2), HoldOperatorMessage = "ждите" });
        Assert.True(s.IsHoldPattern("минуту"));
        Assert.Equal(TimeSpan.FromMinutes(2), s.HoldOperatorTimeout);
    }
}

internal static class RequirementsMatchExtensions
{
    public static bool Matches(this RoutingRequirements r, RoutingProfile p) => p.Matches(r);
}
