package org.kaffee.core;

import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.NetStateRule;

/** Keeps the layers whose include/exclude rules match a NetState (Caffe's FilterNet). */
public final class NetFilter {
  private NetFilter() {
  }

  public static NetParameter filter(NetParameter param) {
    NetState state = param.getState();
    NetParameter.Builder out = param.toBuilder().clearLayer();
    for (LayerParameter layer : param.getLayerList()) {
      KaffeeException.check(layer.getIncludeCount() == 0 || layer.getExcludeCount() == 0,
          "layer %s: specify either include rules or exclude rules, not both", layer.getName());
      boolean included = layer.getIncludeCount() == 0;
      for (NetStateRule rule : layer.getExcludeList()) {
        if (meetsRule(state, rule)) {
          included = false;
        }
      }
      for (NetStateRule rule : layer.getIncludeList()) {
        if (meetsRule(state, rule)) {
          included = true;
        }
      }
      if (included) {
        out.addLayer(layer);
      }
    }
    return out.build();
  }

  public static boolean meetsRule(NetState state, NetStateRule rule) {
    if (rule.hasPhase() && rule.getPhase() != state.getPhase()) {
      return false;
    }
    if (rule.hasMinLevel() && state.getLevel() < rule.getMinLevel()) {
      return false;
    }
    if (rule.hasMaxLevel() && state.getLevel() > rule.getMaxLevel()) {
      return false;
    }
    for (String stage : rule.getStageList()) {
      if (!state.getStageList().contains(stage)) {
        return false;
      }
    }
    for (String stage : rule.getNotStageList()) {
      if (state.getStageList().contains(stage)) {
        return false;
      }
    }
    return true;
  }
}
