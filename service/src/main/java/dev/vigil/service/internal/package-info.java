/** Helpers shared by the service's packages; not API. */
package dev.vigil.service.internal;
