/**
 * Reading components' configuration (Configuration Admin values) the same way everywhere, with
 * errors that name the setting.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.platform.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
