using System.Net.Http.Headers;
using System.Text;
using BotEngine.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Webhooks;

/// <summary>Makes one signed POST of a delivery to its subscription's URL; any 2xx answer is a delivery, anything else a failure.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";

    public async Task<WebhookAttempt> SendAsync(WebhookSubscriptionRow subscription, WebhookDeliveryRow delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(subscription.Secret, time.GetUtcNow(), delivery.Payload));
        request.Headers.Add("X-BotEngine-Event-Id", delivery.EventKey);
        request.Headers.Add("X-BotEngine-Event-Type", delivery.EventType);
        request.Headers.Add("X-BotEngine-Delivery-Id", delivery.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? new WebhookAttempt(true, status, null) : new WebhookAttempt(false, status, $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(false, null, ex.Message);
        }
    }
}
