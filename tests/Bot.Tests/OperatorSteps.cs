using System.Net;
using System.Net.Http.Json;

namespace BotEngine.Bot.Tests;

/// <summary>Operator set-up steps through the real API, shared by routing tests.</summary>
public static class OperatorSteps
{
    public static async Task CreateOperatorAsync(HttpClient admin, string login, string[]? languages = null, string[]? lines = null, int maxDialogs = 3)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/operators", new { login, password = "password-" + login, displayName = login, languages, lines, maxDialogs });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static async Task SetStatusAsync(HttpClient client, string status)
    {
        var response = await client.PostAsJsonAsync("/api/v1/operators/me/status", new { status });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"status {status}: {await response.Content.ReadAsStringAsync()}");
    }
}
