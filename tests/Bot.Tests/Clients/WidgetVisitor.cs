using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Clients;

/// <summary>A web widget's visitor: a Direct Line conversation of its own, and the widget's identity endpoint.</summary>
public sealed class WidgetVisitor(HttpClient http, string conversationId, string token)
{
    public string ConversationId => conversationId;
    public string Token => token;

    public static async Task<WidgetVisitor> StartAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new WidgetVisitor(http, body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    public Task<HttpResponseMessage> IdentifyAsync(object fields) => PostAsync("identity", fields);

    public Task<HttpResponseMessage> PostAsync(string what, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/widget/v1/conversations/{conversationId}/{what}") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    /// <summary>The profile behind this conversation, found the way an operator would: by the account in the profile search.</summary>
    public async Task<string> ClientIdAsync(HttpClient admin)
    {
        var page = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/clients?limit=200"))!;
        var seen = new List<string>();
        foreach (var client in page["clients"]!.AsArray())
        {
            var id = client!["id"]!.GetValue<string>();
            var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{id}"))!;
            seen.Add(card["accounts"]!.ToJsonString());
            if (card["accounts"]!.AsArray().Any(a => a!["conversationId"]?.GetValue<string>() == conversationId))
                return id;
        }
        throw new InvalidOperationException($"No profile has conversation {conversationId}; the profiles' accounts: {string.Join(" ", seen)}");
    }
}
