/** Placeholder. */ package dev.introducer.protocol;
