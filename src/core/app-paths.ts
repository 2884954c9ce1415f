/** The versioned API root every Drydock client uses. */
export const API_PREFIX = '/api/v1.0';
