using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using BotEngine.Storage.Webhooks;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// The JSON body of a webhook POST: <c>{"id", "type", "at", "dialogId", "data"}</c>, where id is the event's own id
/// (the same for every subscription, so a receiver can drop a repeat) and data has the fields of that type.
/// </summary>
public static class WebhookPayloads
{
    public static string Build(WebhookSourceEvent e)
    {
        var data = new JsonObject();
        void Put(string name, string? value)
        {
            if (value is not null)
                data[name] = value;
        }
        if (e.EventType == WebhookEventTypes.OperatorStatus)
        {
            Put("operatorId", e.OperatorId);
            Put("status", e.Status);
        }
        else
        {
            Put("clientId", e.ClientId);
            Put("channel", e.Channel);
            Put("callCentre", e.CallCentre);
            Put("line", e.Line);
            switch (e.EventType)
            {
                case WebhookEventTypes.MessageIn or WebhookEventTypes.MessageOut:
                    Put("messageId", e.MessageId);
                    Put("author", e.Author);
                    Put("authorId", e.OperatorId);
                    Put("text", e.Text);
                    break;
                case WebhookEventTypes.DialogClosed:
                    Put("closedBy", e.OperatorId ?? e.ClosedBy);
                    Put("topic", e.Topic);
                    break;
                case WebhookEventTypes.DialogRated:
                    Put("operatorId", e.OperatorId);
                    if (e.Rating is { } rating)
                        data["rating"] = rating;
                    Put("comment", e.RatingComment);
                    break;
                default:
                    Put("operatorId", e.OperatorId);
                    break;
            }
        }
        var body = new JsonObject
        {
            ["id"] = e.EventKey,
            ["type"] = e.EventType,
            ["at"] = TimeExtensions.FromMicros(e.At).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["dialogId"] = e.DialogId,
            ["data"] = data,
        };
        return body.ToJsonString(Options);
    }

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
