using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// What the desk's settings pages read back: positions, a call centre's settings, and where an operator can transfer
/// a dialog, on both storages.
/// </summary>
public sealed class DeskSettingsFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Positions_and_call_centre_settings_read_back_as_saved(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/positions/senior",
            new { permissions = new[] { "view_client" }, lines = new[] { "cards" }, maxDialogs = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/positions/junior",
            new { permissions = Array.Empty<string>(), maxDialogs = 2 })).StatusCode);
        // Saving a position again replaces it.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/positions/senior",
            new { permissions = new[] { "view_client" }, lines = new[] { "loans" }, maxDialogs = 4 })).StatusCode);

        var positions = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/positions"))!;
        Assert.Equal(["junior", "senior"], positions.Select(p => p!["name"]!.GetValue<string>()));
        var senior = positions[1]!;
        Assert.Equal(4, senior["maxDialogs"]!.GetValue<int>());
        Assert.Equal(["loans"], senior["lines"]!.AsArray().Select(l => l!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/call-centres/north", new { queueNoticeInterval = "00:03:00" })).StatusCode);
        var north = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/call-centres/north"))!;
        Assert.Equal("north", north["callCentre"]!.GetValue<string>());
        Assert.Equal("00:03:00", north["queueNoticeInterval"]!.GetValue<string>());
        // A call centre nobody configured has the defaults, under its own id.
        var south = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/call-centres/south"))!;
        Assert.Equal("south", south["callCentre"]!.GetValue<string>());
        Assert.Equal("00:01:00", south["queueNoticeInterval"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Transfer_targets_are_the_other_online_operators_and_every_line_served(StorageKind storage)
    {
        await using var engine = await FlowEngine.StartAsync(storage);
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.CreateOperatorAsync(admin, "zoe", lines: ["cards"]);
        await OperatorSteps.CreateOperatorAsync(admin, "bob", lines: ["deposits"]);
        await OperatorSteps.CreateOperatorAsync(admin, "carl", languages: ["en", "ru"], lines: ["loans", "cards"]);
        using var zoe = await engine.OperatorAsync("zoe");
        using var bob = await engine.OperatorAsync("bob");
        await OperatorSteps.SetStatusAsync(zoe, "online");
        await OperatorSteps.SetStatusAsync(bob, "online");
        await OperatorSteps.SetStatusAsync(admin, "online");

        // Asked by the admin: the online operators but the admin, by display name; carl is offline.
        var targets = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/transfer-targets"))!;
        Assert.Equal(["bob", "zoe"], targets["operators"]!.AsArray().Select(o => o!["displayName"]!.GetValue<string>()));
        Assert.Equal(await IdAsync(bob), targets["operators"]![0]!["id"]!.GetValue<string>());
        // The lines of every operator, online or not, once each and in order.
        var lines = targets["lines"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Equal(lines.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), lines);
        Assert.Superset(new HashSet<string> { "cards", "deposits", "loans" }, lines.ToHashSet());
        // The languages and skills operators have, for a transfer to the queue of those who have them.
        var carlId = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/operators"))!.Single(o => o!["login"]!.GetValue<string>() == "carl")!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/operators/{carlId}", new { skills = new[] { "fraud", "vip" } })).StatusCode);
        targets = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/transfer-targets"))!;
        Assert.Equal(["en", "ru"], targets["languages"]!.AsArray().Select(l => l!.GetValue<string>()).Where(l => l is "en" or "ru"));
        Assert.Equal(["fraud", "vip"], targets["skills"]!.AsArray().Select(l => l!.GetValue<string>()));

        // Asked by zoe: the admin is a target now, zoe is not.
        var fromZoe = (await zoe.GetFromJsonAsync<JsonObject>("/api/v1/transfer-targets"))!;
        var expected = new[] { await IdAsync(admin), await IdAsync(bob) }.Order(StringComparer.Ordinal);
        Assert.Equal(expected, fromZoe["operators"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    private static async Task<string> IdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
}
