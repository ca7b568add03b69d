namespace McpSharp.Protocol;

/// <summary>A resource the server can read (RES-LIST).</summary>
public sealed class Resource : McpMetaObject
{
    /// <summary>URI.</summary>
    public required string Uri { get; set; }

    /// <summary>Programmatic name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>Size in bytes.</summary>
    public long? Size { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }

    /// <summary>Annotations.</summary>
    public Annotations? Annotations { get; set; }
}

/// <summary>A family of resources named by an RFC 6570 URI template (RES-TEMPLATES).</summary>
public sealed class ResourceTemplate : McpMetaObject
{
    /// <summary>RFC 6570 URI template.</summary>
    public required string UriTemplate { get; set; }

    /// <summary>Programmatic name.</summary>
    public required string Name { get; set; }

    /// <summary>Display name.</summary>
    public string? Title { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>MIME type of every matching resource.</summary>
    public string? MimeType { get; set; }

    /// <summary>Icons.</summary>
    public IList<Icon>? Icons { get; set; }

    /// <summary>Annotations.</summary>
    public Annotations? Annotations { get; set; }
}

/// <summary>Result of <c>resources/list</c>.</summary>
public sealed class ListResourcesResult : PaginatedResult
{
    /// <summary>The resources on this page.</summary>
    public IList<Resource> Resources { get; set; } = [];
}

/// <summary>Result of <c>resources/templates/list</c>.</summary>
public sealed class ListResourceTemplatesResult : PaginatedResult
{
    /// <summary>The templates on this page.</summary>
    public IList<ResourceTemplate> ResourceTemplates { get; set; } = [];
}

/// <summary>Parameters of <c>resources/read</c>, <c>resources/subscribe</c> and <c>resources/unsubscribe</c>.</summary>
public sealed class ResourceRequestParams : InputResponseRequestParams
{
    /// <summary>The resource URI.</summary>
    public required string Uri { get; set; }
}

/// <summary>Result of <c>resources/read</c> (RES-READ).</summary>
public sealed class ReadResourceResult : Result
{
    /// <summary>The contents (several entries for sub-resources).</summary>
    public IList<ResourceContents> Contents { get; set; } = [];
}

/// <summary>Parameters of <c>notifications/resources/updated</c> (RES-SUBSCRIBE).</summary>
public sealed class ResourceUpdatedNotificationParams : NotificationParams
{
    /// <summary>The URI that changed (may be a sub-resource of the subscribed one).</summary>
    public required string Uri { get; set; }
}
