"""Story clustering: each arriving article joins the story of its event or starts a new one."""

from marsad.cluster.base import Assignment, ClusterDoc, StoryClusterer, story_id_for

__all__ = ["Assignment", "ClusterDoc", "StoryClusterer", "story_id_for"]
