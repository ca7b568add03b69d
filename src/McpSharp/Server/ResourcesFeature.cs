using System.Text.Json;
using McpSharp.JsonRpc;
using McpSharp.Protocol;

namespace McpSharp.Server;

/// <summary><c>resources/list</c>, <c>resources/templates/list</c>, <c>resources/read</c> and subscriptions.</summary>
internal static class ResourcesFeature
{
    public static JsonPayload List(McpSession session, JsonRpcRequest request)
    {
        var page = session.Server.Resources.Page(McpSessionHandler.ReadCursor(request), session.Server.Options.PageSize, out string? next);
        var resources = AccessGate.Visible(session.Server, request, page, McpPrimitiveKind.Resource, static e => e.Definition, static d => d.Uri);

        return JsonPayload.FromValue(new ListResourcesResult { Resources = resources, NextCursor = next }, McpJsonContext.Default.ListResourcesResult);
    }

    public static JsonPayload ListTemplates(McpSession session, JsonRpcRequest request)
    {
        var page = session.Server.ResourceTemplates.Page(McpSessionHandler.ReadCursor(request), session.Server.Options.PageSize, out string? next);
        var templates = AccessGate.Visible(session.Server, request, page, McpPrimitiveKind.ResourceTemplate, static e => e.Definition, static d => d.UriTemplate);

        return JsonPayload.FromValue(new ListResourceTemplatesResult { ResourceTemplates = templates, NextCursor = next }, McpJsonContext.Default.ListResourceTemplatesResult);
    }

    public static async ValueTask<JsonPayload> ReadAsync(McpSession session, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var parameters = McpSessionHandler.ReadParams(request, McpJsonContext.Default.ResourceRequestParams);
        var context = new McpRequestContext<ResourceRequestParams>(session, request, parameters, cancellationToken);
        ReadResourceResult result;
        try
        {
            if (session.Server.Resources.TryGet(parameters.Uri, out var resource))
            {
                result = AccessGate.Allows(session.Server, request, McpPrimitiveKind.Resource, parameters.Uri)
                    ? await resource.Handler(context).ConfigureAwait(false)
                    : throw NotFound(parameters.Uri);
            }
            else if (FindTemplate(session.Server, parameters.Uri, out var template, out var variables)
                && AccessGate.Allows(session.Server, request, McpPrimitiveKind.ResourceTemplate, template.Definition.UriTemplate))
            {
                result = await template.Handler(context, variables).ConfigureAwait(false);
            }
            else
            {
                throw NotFound(parameters.Uri);
            }
        }
        catch (McpInputRequiredException) when (context.HasInputQuestions)
        {
            return context.InputRequiredResult();
        }
        catch (McpProtocolException ex) when (ex.ErrorCode == McpErrorCodes.ResourceNotFound && context.Client.IsPerRequest)
        {
            // M26-RESOURCE-NOT-FOUND: 2026-07-28 retired -32002; a missing resource is -32602 (data.uri kept).
            throw new McpProtocolException(McpErrorCodes.InvalidParams, ex.Message, ex.ErrorData);
        }
        finally
        {
            await context.CompleteAsync().ConfigureAwait(false);
        }

        return JsonPayload.FromValue(result, McpJsonContext.Default.ReadResourceResult);
    }

    public static JsonPayload Subscribe(McpSession session, JsonRpcRequest request)
    {
        string uri = McpSessionHandler.ReadParams(request, McpJsonContext.Default.ResourceRequestParams).Uri;
        session.Subscribe(AccessGate.AllowsUri(session.Server, request, uri) ? uri : throw NotFound(uri)); // a hidden resource is unknown
        return LifecycleFeature.Empty;
    }

    public static JsonPayload Unsubscribe(McpSession session, JsonRpcRequest request)
    {
        session.Unsubscribe(McpSessionHandler.ReadParams(request, McpJsonContext.Default.ResourceRequestParams).Uri);
        return LifecycleFeature.Empty;
    }

    /// <summary>RES-NOTFOUND: -32002 with the URI in <c>data</c>.</summary>
    public static McpProtocolException NotFound(string uri)
    {
        var data = new Dictionary<string, JsonElement> { ["uri"] = JsonSerializer.SerializeToElement(uri, McpJsonContext.Default.String) };
        return new McpProtocolException(McpErrorCodes.ResourceNotFound, "Resource not found", JsonSerializer.SerializeToElement(data, McpJsonContext.Default.DictionaryStringJsonElement));
    }

    internal static bool FindTemplate(McpServer server, string uri, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out McpServerResourceTemplate? template, out IReadOnlyDictionary<string, string> variables)
    {
        foreach (var candidate in server.ResourceTemplates.Items)
        {
            if (candidate.Template.TryMatch(uri, out variables))
            {
                template = candidate;
                return true;
            }
        }

        template = null;
        variables = new Dictionary<string, string>();
        return false;
    }
}
